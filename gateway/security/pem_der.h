#pragma once
// DER and PEM framing for the certificate toolkit (internal): where the
// first DER element of a byte string ends, and the blocks of a PEM text
// (RFC 7468). Parsers check the framing first so their errors can say
// "truncated" or "trailing bytes" instead of OpenSSL's "nested asn1 error".
//
// Pure functions; thread-safe. No OpenSSL in here.

#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"

namespace onvifgw::security {

struct DerElement {
  unsigned char tag = 0;      ///< the identifier octet: 0x30 SEQUENCE, 0x31 SET, ...
  std::string_view whole;     ///< identifier, length and contents octets
  std::string_view contents;  ///< the contents octets only
};

/// The first DER element of `der` (a low tag number and a definite length
/// of at most four octets: enough for anything a camera would hold).
/// Errors: "empty", "truncated" (the length says more than there is),
/// "bad DER length"; the caller decides what trailing bytes mean.
Expected<DerElement, std::string> ReadDerElement(std::string_view der);

/// One "-----BEGIN label-----" ... "-----END label-----" block.
struct PemBlock {
  PemBlock() = default;
  PemBlock(const PemBlock&) = default;
  PemBlock& operator=(const PemBlock&) = default;
  PemBlock(PemBlock&&) noexcept = default;
  PemBlock& operator=(PemBlock&&) noexcept = default;
  /// Wipes `der`: blocks often hold private keys.
  ~PemBlock();

  std::string label;    ///< "CERTIFICATE", "PRIVATE KEY", ...
  std::string headers;  ///< RFC 1421 headers ("Proc-Type: 4,ENCRYPTED ..."), empty if none
  std::string der;      ///< the decoded base64 body
};

/// Whether `text` starts (after whitespace) like a PEM block; anything else
/// is taken for DER.
bool LooksLikePem(std::string_view text);

/// Every block of a PEM text, in order. Only whitespace may come before,
/// between and after blocks; the body must be base64 (line breaks and other
/// whitespace ignored). Errors name the block (1-based) and the problem.
Expected<std::vector<PemBlock>, std::string> ReadPemBlocks(std::string_view text);

}  // namespace onvifgw::security

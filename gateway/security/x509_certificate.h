#pragma once
// X.509 certificates for the device's TLS keystore (ONVIF Advanced
// Security): parsing what clients upload (DER, PEM, PEM bundles), making
// self-signed certificates, and the facts GetCertificateInformation reports.
//
// Parsing is strict: one DER element and nothing after it, or PEM blocks
// with nothing but whitespace around them, so a wrong or damaged upload is
// refused with a reason rather than half-read.
//
// Thread-safe for concurrent const use, also across copies (they share one
// reference-counted X509, which OpenSSL 3 guards internally).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "security/key_pair.h"

struct x509_st;

namespace onvifgw::security {

/// What GetCertificateInformation reports of a certificate.
struct CertificateFacts {
  std::string issuer_dn, subject_dn;  ///< RFC 4514 one-line form, e.g. "CN=cam1,O=Acme"
  bool has_key_usage = false;
  bool key_usage_critical = false;
  /// e.g. "digitalSignature keyEncipherment" (RFC 5280 names, space separated)
  std::string key_usage;
  bool has_extended_key_usage = false;
  bool extended_key_usage_critical = false;
  /// e.g. "serverAuth clientAuth" (short names; dotted OID if unnamed)
  std::string extended_key_usage;
  int key_bits = 0;
  int version = 0;                  ///< 1, 2 or 3
  std::string serial;               ///< upper-case hex, colon-free, no leading zero bytes
  std::string signature_algorithm;  ///< e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256"
  /// Clamped to system_clock's range (years 1678-2261): RFC 5280's "no
  /// expiry" 99991231235959Z reads as time_point::max().
  std::chrono::system_clock::time_point not_before{}, not_after{};
};

struct SelfSignedRequest {
  /// "CN=cam1,O=Acme" (RFC 4514-ish: comma-separated attr=value, '\,' escapes a comma; attrs
  /// CN,O,OU,C,L,ST,emailAddress,serialNumber,DC) or plain text without '=' meaning CN=<text>.
  /// Details in distinguished_name.h.
  std::string subject;
  /// Whole seconds are kept (X.509 times have no fractions).
  std::chrono::system_clock::time_point not_before, not_after;
};

/// An X.509 certificate (owns an X509; copyable by reference count, movable).
/// A moved-from certificate holds nothing: only destroy it or assign to it.
class X509Certificate {
 public:
  /// One certificate: DER, or one PEM "CERTIFICATE" block (surrounding whitespace allowed).
  /// Errors: "not a DER or PEM certificate", "truncated", trailing garbage after the DER, etc.
  static Expected<X509Certificate, std::string> Parse(std::string_view der_or_pem);
  /// A DER certificate, or one or more PEM blocks (a bundle): all of them, or an error.
  static Expected<std::vector<X509Certificate>, std::string> ParseAll(std::string_view der_or_pem);
  /// Self-signed v3 certificate for `key`: random positive 128-bit serial, SHA-256 signature,
  /// basicConstraints CA:FALSE (critical), keyUsage digitalSignature (+keyEncipherment for RSA)
  /// critical, extendedKeyUsage serverAuth+clientAuth, subjectKeyIdentifier. Errors: bad
  /// subject, not_after <= not_before.
  static Expected<X509Certificate, std::string> SelfSigned(const KeyPair& key,
                                                           const SelfSignedRequest& request);

  X509Certificate(const X509Certificate& other);
  X509Certificate& operator=(const X509Certificate& other);
  X509Certificate(X509Certificate&& other) noexcept;
  X509Certificate& operator=(X509Certificate&& other) noexcept;
  ~X509Certificate();

  std::string Der() const;
  /// SubjectPublicKeyInfo DER (compare with KeyPair::PublicKeyDer)
  std::string PublicKeyDer() const;
  bool Matches(const KeyPair& key) const;  ///< the certificate carries key's public key
  CertificateFacts Facts() const;
  /// Whether it may sign others (basicConstraints CA:TRUE) - for CA certificates.
  bool is_ca() const;
  x509_st* get() const { return cert_; }

 private:
  explicit X509Certificate(x509_st* cert) : cert_(cert) {}  // takes the reference

  x509_st* cert_ = nullptr;
};

/// Parses a subject string as above into an error or success (used to validate input before
/// generating keys).
Status<std::string> CheckDistinguishedName(std::string_view subject);

}  // namespace onvifgw::security

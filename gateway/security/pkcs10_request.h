#pragma once
// PKCS#10 certificate signing requests (RFC 2986) for the device's keys
// (ONVIF Advanced Security CreatePKCS10CSR): a CA signs the request and the
// client uploads the certificate it gets back.
//
// Pure function; thread-safe.

#include <string>
#include <string_view>

#include "core/expected.h"
#include "security/key_pair.h"
#include "security/x509_certificate.h"

namespace onvifgw::security {

/// A PKCS#10 certificate signing request (DER) for `key`, signed with it (SHA-256), subject as in
/// SelfSignedRequest. `attributes_der`, when not empty, is either one DER Attribute (SEQUENCE) or a
/// DER SET OF Attribute; each is added to the request; anything else is an error.
Expected<std::string, std::string> MakePkcs10Request(const KeyPair& key, std::string_view subject,
                                                     std::string_view attributes_der);
/// The same, naming exactly the subject of `subject_of` (any attributes,
/// multi-valued RDNs included: the name is copied, not re-parsed).
Expected<std::string, std::string> MakePkcs10Request(const KeyPair& key,
                                                     const X509Certificate& subject_of,
                                                     std::string_view attributes_der);

}  // namespace onvifgw::security

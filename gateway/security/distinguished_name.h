#pragma once
// Subject names of the certificate toolkit (internal): the text a client
// gives ("CN=cam1,O=Acme" or just "camera 1") into an X509_NAME, and an
// X509_NAME back into RFC 4514 text. Shared by x509_certificate.cc and
// pkcs10_request.cc so that a self-signed certificate and a CSR accept
// exactly the same subjects.
//
// Text form, RFC 4514-ish:
//  * comma-separated attr=value, attr one of CN, O, OU, C, L, ST,
//    emailAddress, serialNumber, DC (any letter case);
//  * in a value, '\' escapes one of  ,+"\<>;=#  or a space, or starts a
//    two-digit hex byte ("\2C"); any other escape, a trailing '\' and an
//    unescaped '+' (multi-valued RDNs are not supported) are errors;
//  * spaces around attr, '=' and ',' are ignored (escape them to keep them);
//  * as in RFC 4514, the first attribute is the most specific: it is the
//    last RDN of the encoded name, so "CN=cam1,O=Acme" encodes O then CN and
//    prints back as "CN=cam1,O=Acme";
//  * text without '=' is a common name, verbatim: "camera 1" means
//    CN=camera 1, but a bare attribute name ("CN") is an error.
// Values must be UTF-8 without control characters and fit the X.520 bounds
// (CN at most 64 characters, C exactly two letters, ...).
//
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "core/expected.h"

struct X509_name_st;

namespace onvifgw::security {

/// Adds the RDNs of `subject` to `name` (normally empty). On error `name`
/// may hold some of them; the message says which part of `subject` is wrong.
Status<std::string> AppendDistinguishedName(std::string_view subject, X509_name_st* name);

/// `name` in RFC 4514 one-line form ("CN=cam1,O=Acme"); UTF-8 is kept as
/// is, special characters are escaped.
std::string FormatDistinguishedName(const X509_name_st* name);

}  // namespace onvifgw::security

#include "security/pkcs10_request.h"

#include <openssl/x509.h>

#include "security/distinguished_name.h"
#include "security/openssl_ptr.h"
#include "security/pem_der.h"

namespace onvifgw::security {
namespace {

constexpr unsigned char kSequence = 0x30;
constexpr unsigned char kSet = 0x31;

// One DER Attribute (SEQUENCE { type, SET OF value }) that is exactly `der`.
Status<std::string> AddAttribute(X509_REQ* request, std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509AttributePtr attribute(d2i_X509_ATTRIBUTE(nullptr, &p, static_cast<long>(der.size())));
  if (!attribute)
    return MakeUnexpected(std::string("not a DER Attribute (") + TakeOpenSslError() + ")");
  if (p != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return MakeUnexpected(std::string("trailing bytes inside the Attribute"));
  }
  // RFC 2986 §4.1: values SET SIZE(1..MAX).
  if (X509_ATTRIBUTE_count(attribute.get()) < 1) {
    return MakeUnexpected(std::string("an attribute without a value"));
  }
  if (X509_REQ_add1_attr(request, attribute.get()) != 1) {
    return MakeUnexpected(std::string("cannot add the attribute (") + TakeOpenSslError() + ")");
  }
  return {};
}

// `der` is not empty.
Status<std::string> AddAttributes(X509_REQ* request, std::string_view der) {
  const auto tag = static_cast<unsigned char>(der.front());
  if (tag != kSequence && tag != kSet) {
    return MakeUnexpected(std::string("attributes: neither an Attribute nor a SET OF Attribute"));
  }
  auto outer = ReadDerElement(der);
  if (!outer) return MakeUnexpected(std::string("attributes: ") + outer.error());
  if (outer->whole.size() != der.size()) {
    return MakeUnexpected(std::string("attributes: trailing bytes after the DER"));
  }
  if (tag == kSequence) {
    auto ok = AddAttribute(request, der);
    if (!ok) return MakeUnexpected(std::string("attributes: ") + ok.error());
    return ok;
  }
  int n = 0;
  for (std::string_view rest = outer->contents; !rest.empty();) {
    ++n;
    auto element = ReadDerElement(rest);
    if (!element)
      return MakeUnexpected(std::string("attribute ") + std::to_string(n) + ": " + element.error());
    if (element->tag != kSequence) {
      return MakeUnexpected(std::string("attribute ") + std::to_string(n) + ": not an Attribute");
    }
    auto ok = AddAttribute(request, element->whole);
    if (!ok)
      return MakeUnexpected(std::string("attribute ") + std::to_string(n) + ": " + ok.error());
    rest.remove_prefix(element->whole.size());
  }
  return {};
}

}  // namespace

namespace {

// The request for `key` naming `name` (the caller's; copied into the request).
Expected<std::string, std::string> RequestFor(const KeyPair& key, const X509_NAME* name,
                                              std::string_view attributes_der) {
  X509ReqPtr request(X509_REQ_new());
  if (!request) return MakeUnexpected(std::string("out of memory"));
  if (X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1 ||
      X509_REQ_set_subject_name(request.get(), name) != 1 ||
      X509_REQ_set_pubkey(request.get(), key.get()) != 1) {
    return MakeUnexpected(std::string("cannot build the request (") + TakeOpenSslError() + ")");
  }
  if (!attributes_der.empty()) {
    if (auto ok = AddAttributes(request.get(), attributes_der); !ok) {
      return MakeUnexpected(ok.error());
    }
  }
  if (X509_REQ_sign(request.get(), key.get(), EVP_sha256()) <= 0) {
    return MakeUnexpected(std::string("cannot sign the request (") + TakeOpenSslError() + ")");
  }
  std::string der = ToDer(request.get(), i2d_X509_REQ);
  if (der.empty())
    return MakeUnexpected(std::string("cannot encode the request (") + TakeOpenSslError() + ")");
  return der;
}

}  // namespace

Expected<std::string, std::string> MakePkcs10Request(const KeyPair& key, std::string_view subject,
                                                     std::string_view attributes_der) {
  X509NamePtr name(X509_NAME_new());
  if (!name) return MakeUnexpected(std::string("out of memory"));
  if (auto ok = AppendDistinguishedName(subject, name.get()); !ok) {
    return MakeUnexpected(ok.error());
  }
  return RequestFor(key, name.get(), attributes_der);
}

Expected<std::string, std::string> MakePkcs10Request(const KeyPair& key,
                                                     const X509Certificate& subject_of,
                                                     std::string_view attributes_der) {
  return RequestFor(key, X509_get_subject_name(subject_of.get()), attributes_der);
}

}  // namespace onvifgw::security

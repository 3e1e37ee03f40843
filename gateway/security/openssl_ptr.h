#pragma once
// Plumbing shared by the .cc files of the certificate toolkit (key_pair,
// x509_certificate, pkcs10_request, distinguished_name): owning pointers for
// OpenSSL objects, DER output into std::string, and the text of OpenSSL's
// error queue. Internal: it includes OpenSSL, so public headers must not
// include it.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

namespace onvifgw::security {

template <auto FreeFunction>
struct OpenSslFree {
  template <typename T>
  void operator()(T* object) const {
    FreeFunction(object);
  }
};
template <typename T, auto FreeFunction>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree<FreeFunction>>;

using BioPtr = OpenSslPtr<BIO, BIO_free>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using Pkcs8Ptr = OpenSslPtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using X509NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using X509ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509ReqPtr = OpenSslPtr<X509_REQ, X509_REQ_free>;
using X509AttributePtr = OpenSslPtr<X509_ATTRIBUTE, X509_ATTRIBUTE_free>;
using X509SigPtr = OpenSslPtr<X509_SIG, X509_SIG_free>;

/// The DER encoding of `object` by OpenSSL's i2d_* function `i2d`, or an
/// empty string if encoding fails (out of memory: nothing a caller can fix).
template <typename T, typename I2d>
std::string ToDer(const T* object, I2d i2d) {
  const int size = i2d(object, nullptr);
  if (size <= 0) return {};
  std::string out(static_cast<std::size_t>(size), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (i2d(object, &p) != size) return {};
  return out;
}

/// The reason of the oldest entry in this thread's OpenSSL error queue (the
/// root cause; later entries only say which caller gave up), and the queue
/// cleared: a failed call leaves entries behind that would otherwise be
/// reported by some unrelated later call on this thread.
inline std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  const char* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
  return reason != nullptr ? reason : "unknown OpenSSL error";
}

}  // namespace onvifgw::security

#include "http/tls_server_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace onvifgw::http {
namespace ssl = boost::asio::ssl;

namespace {

std::string OpenSslError(const std::string& what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return what;
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return what + ": " + text;
}

// TLS 1.2 suites: ECDHE key exchange (forward secrecy) with AEAD ciphers
// only, as the Mozilla "intermediate" profile; TLS 1.3 suites are all AEAD
// and OpenSSL's defaults are kept.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

Expected<std::shared_ptr<ssl::context>, std::string> MakeTlsServerContext(
    const TlsServerCredentials& credentials) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  ERR_clear_error();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) {
    return MakeUnexpected(OpenSslError("cannot limit TLS to 1.2 and 1.3"));
  }
  // No compression (CRIME), no client-initiated renegotiation, the
  // server's cipher order.
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // A session resumed under SSL_VERIFY_PEER needs a session id context, or
  // OpenSSL fails the resumption instead of doing a full handshake (TLS 1.2
  // clients reconnecting in client certificate mode).
  static constexpr unsigned char kSessionContext[] = "onvifgw-https";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    return MakeUnexpected(OpenSslError("cannot set the TLS 1.2 cipher suites"));
  }
  const auto* cert_bytes =
      reinterpret_cast<const unsigned char*>(credentials.certificate_der.data());
  if (SSL_CTX_use_certificate_ASN1(ctx, static_cast<int>(credentials.certificate_der.size()),
                                   cert_bytes) != 1) {
    return MakeUnexpected(OpenSslError("the server certificate is refused"));
  }
  const auto* key_bytes =
      reinterpret_cast<const unsigned char*>(credentials.private_key_der.data());
  EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &key_bytes,
                                     static_cast<long>(credentials.private_key_der.size()));
  if (key == nullptr) return MakeUnexpected(OpenSslError("the server key is unreadable"));
  const int used = SSL_CTX_use_PrivateKey(ctx, key);
  EVP_PKEY_free(key);
  if (used != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return MakeUnexpected(OpenSslError("the server key does not match its certificate"));
  }
  if (credentials.require_client_certificate) {
    if (credentials.client_ca_der.empty()) {
      return MakeUnexpected(std::string("client certificates need a CA certificate to check them"));
    }
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
    for (const std::string& der : credentials.client_ca_der) {
      const auto* p = reinterpret_cast<const unsigned char*>(der.data());
      X509* ca = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
      if (ca == nullptr) {
        sk_X509_NAME_pop_free(names, X509_NAME_free);
        return MakeUnexpected(OpenSslError("a CA certificate is unreadable"));
      }
      X509_STORE_add_cert(store, ca);
      // The CA names go in the CertificateRequest, so that a client with
      // several certificates picks one these CAs issued.
      sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca)));
      X509_free(ca);
    }
    SSL_CTX_set_client_CA_list(ctx, names);
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  } else {
    context->set_verify_mode(ssl::verify_none);
  }
  return context;
}

}  // namespace onvifgw::http

#pragma once
// Private/public key pairs for the device's TLS certificates (ONVIF
// Advanced Security keystore): generation, import of an unencrypted private
// key, and DER export.
//
// Only keys worth a certificate are accepted: RSA of 2048 bits or more and
// EC on P-256 or P-384. A KeyPair always holds a consistent pair (imported
// keys are checked), so everything signed with it verifies.
//
// Thread-safe for concurrent const use (OpenSSL 3 keys are immutable once
// built).

#include <memory>
#include <string>
#include <string_view>

#include "core/expected.h"

struct evp_pkey_st;

namespace onvifgw::security {

enum class KeyAlgorithm { kRsa2048, kEcP256 };

/// A private/public key pair (owns an EVP_PKEY; movable, not copyable). A
/// moved-from KeyPair holds nothing: only destroy it or assign to it.
class KeyPair {
 public:
  static Expected<KeyPair, std::string> Generate(KeyAlgorithm algorithm);
  /// An unencrypted private key: PKCS#8 DER, or PEM ("PRIVATE KEY", "RSA PRIVATE KEY", "EC
  /// PRIVATE KEY"; "EC PARAMETERS" blocks beside it are ignored). Accepts RSA >= 2048 bits and EC
  /// on P-256 or P-384; anything else (garbage, truncated, encrypted, too short an RSA key,
  /// another curve, a private half that does not match the public one) is an error saying why.
  static Expected<KeyPair, std::string> FromPrivateKey(std::string_view der_or_pem);

  KeyPair(KeyPair&&) noexcept = default;
  KeyPair& operator=(KeyPair&&) noexcept = default;
  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;
  ~KeyPair() = default;

  std::string PrivateKeyDer() const;  ///< PKCS#8 DER
  std::string PublicKeyDer() const;   ///< SubjectPublicKeyInfo DER
  int bits() const;                   ///< RSA modulus or EC field size
  bool is_rsa() const;
  evp_pkey_st* get() const { return key_.get(); }

 private:
  struct Free {
    void operator()(evp_pkey_st* key) const;
  };
  explicit KeyPair(evp_pkey_st* key) : key_(key) {}

  std::unique_ptr<evp_pkey_st, Free> key_;
};

}  // namespace onvifgw::security

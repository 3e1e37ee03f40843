#include "security/key_pair.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>

#include "security/openssl_ptr.h"
#include "security/pem_der.h"

namespace onvifgw::security {
namespace {

constexpr int kMinRsaBits = 2048;
// OpenSSL's own ceiling (OPENSSL_RSA_MAX_MODULUS_BITS): larger keys load but
// cannot sign, so refuse them here where the error can say why.
constexpr int kMaxRsaBits = 16384;

const std::string kEncrypted =
    "the private key is encrypted; give it unencrypted (openssl pkey -in key.pem -out plain.pem)";

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The DER element must be the whole input: trailing bytes are a sign of a
// wrong or corrupted file, not something to ignore.
Expected<std::string_view, std::string> WholeElement(std::string_view der) {
  if (der.empty() || der.front() != 0x30) {
    return MakeUnexpected(std::string("not a DER or PEM private key"));
  }
  auto element = ReadDerElement(der);
  if (!element) return MakeUnexpected(std::string("DER private key: ") + element.error());
  if (element->whole.size() != der.size()) {
    return MakeUnexpected(std::string("trailing bytes after the DER private key"));
  }
  return element->whole;
}

Expected<EvpPkeyPtr, std::string> DecodePkcs8(std::string_view input) {
  auto der = WholeElement(input);
  if (!der) return MakeUnexpected(der.error());
  const unsigned char* p = Bytes(*der);
  Pkcs8Ptr p8(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der->size())));
  if (!p8) {
    const std::string reason = TakeOpenSslError();
    // An EncryptedPrivateKeyInfo is a SEQUENCE too; say so rather than "bad key".
    p = Bytes(*der);
    X509SigPtr encrypted(d2i_X509_SIG(nullptr, &p, static_cast<long>(der->size())));
    ERR_clear_error();
    if (encrypted) return MakeUnexpected(kEncrypted);
    return MakeUnexpected(std::string("not a PKCS#8 private key (") + reason + ")");
  }
  EvpPkeyPtr key(EVP_PKCS82PKEY(p8.get()));
  if (!key) return MakeUnexpected(std::string("unusable private key (") + TakeOpenSslError() + ")");
  return key;
}

// PKCS#1 (RSA PRIVATE KEY) or SEC 1 (EC PRIVATE KEY) DER.
Expected<EvpPkeyPtr, std::string> DecodeTraditional(std::string_view input, int type) {
  auto der = WholeElement(input);
  if (!der) return MakeUnexpected(der.error());
  const unsigned char* p = Bytes(*der);
  EvpPkeyPtr key(
      d2i_PrivateKey_ex(type, nullptr, &p, static_cast<long>(der->size()), nullptr, nullptr));
  if (!key) return MakeUnexpected(std::string("unusable private key (") + TakeOpenSslError() + ")");
  return key;
}

Expected<EvpPkeyPtr, std::string> DecodePem(std::string_view pem) {
  auto blocks = ReadPemBlocks(pem);
  if (!blocks) return MakeUnexpected(blocks.error());
  const PemBlock* key_block = nullptr;
  for (const PemBlock& block : *blocks) {
    // `openssl ecparam -genkey` writes the curve's parameters before the key.
    if (block.label == "EC PARAMETERS") continue;
    if (key_block != nullptr) return MakeUnexpected(std::string("more than one PEM key block"));
    key_block = &block;
  }
  if (key_block == nullptr) return MakeUnexpected(std::string("no private key in the PEM text"));
  const std::string& label = key_block->label;
  if (label == "ENCRYPTED PRIVATE KEY") return MakeUnexpected(kEncrypted);
  if (label == "PRIVATE KEY") return DecodePkcs8(key_block->der);
  if (label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY") {
    // OpenSSL's traditional encryption announces itself in RFC 1421 headers.
    if (key_block->headers.find("ENCRYPTED") != std::string::npos) {
      return MakeUnexpected(kEncrypted);
    }
    return DecodeTraditional(key_block->der, label[0] == 'R' ? EVP_PKEY_RSA : EVP_PKEY_EC);
  }
  return MakeUnexpected(std::string("a PEM ") + label + " block is not a private key");
}

Status<std::string> CheckAcceptable(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA")) {
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < kMinRsaBits) {
      return MakeUnexpected(std::string("the RSA key has ") + std::to_string(bits) +
                            " bits; at least 2048 are required");
    }
    if (bits > kMaxRsaBits) {
      return MakeUnexpected(std::string("the RSA key has ") + std::to_string(bits) +
                            " bits; at most 16384 are supported");
    }
  } else if (EVP_PKEY_is_a(key, "EC")) {
    std::array<char, 64> curve{};
    if (EVP_PKEY_get_group_name(key, curve.data(), curve.size(), nullptr) != 1) {
      ERR_clear_error();
      return MakeUnexpected(std::string("the EC key does not name its curve"));
    }
    const std::string_view name(curve.data());
    if (name != "prime256v1" && name != "P-256" && name != "secp384r1" && name != "P-384") {
      return MakeUnexpected(std::string("the EC key is on curve ") + std::string(name) +
                            "; only P-256 and P-384 are supported");
    }
  } else {
    const char* type = EVP_PKEY_get0_type_name(key);
    return MakeUnexpected(std::string("unsupported key type ") + (type ? type : "?") +
                          "; use RSA or EC");
  }
  // A damaged or hand-assembled key whose halves disagree would sign
  // certificates nobody can verify; catch it at import.
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx || EVP_PKEY_pairwise_check(ctx.get()) != 1) {
    return MakeUnexpected(std::string("inconsistent private key (") + TakeOpenSslError() + ")");
  }
  return {};
}

}  // namespace

void KeyPair::Free::operator()(evp_pkey_st* key) const { EVP_PKEY_free(key); }

Expected<KeyPair, std::string> KeyPair::Generate(KeyAlgorithm algorithm) {
  EVP_PKEY* key = algorithm == KeyAlgorithm::kRsa2048
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048})
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (key == nullptr)
    return MakeUnexpected(std::string("key generation failed: ") + TakeOpenSslError());
  return KeyPair(key);
}

Expected<KeyPair, std::string> KeyPair::FromPrivateKey(std::string_view der_or_pem) {
  auto key = LooksLikePem(der_or_pem) ? DecodePem(der_or_pem) : DecodePkcs8(der_or_pem);
  if (!key) return MakeUnexpected(key.error());
  if (auto ok = CheckAcceptable(key->get()); !ok) return MakeUnexpected(ok.error());
  return KeyPair(key->release());
}

std::string KeyPair::PrivateKeyDer() const {
  Pkcs8Ptr p8(EVP_PKEY2PKCS8(key_.get()));
  if (!p8) {
    ERR_clear_error();
    return {};
  }
  return ToDer(p8.get(), i2d_PKCS8_PRIV_KEY_INFO);
}

std::string KeyPair::PublicKeyDer() const { return ToDer(key_.get(), i2d_PUBKEY); }

int KeyPair::bits() const { return EVP_PKEY_get_bits(key_.get()); }

bool KeyPair::is_rsa() const { return EVP_PKEY_is_a(key_.get(), "RSA") == 1; }

}  // namespace onvifgw::security

#include "security/crypto_util.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/hex.h"

namespace onvifgw::security {
namespace {

std::string Digest(const EVP_MD* md, std::string_view data) {
  // One context per thread, re-initialised per digest: EVP_Digest() would
  // allocate and free one on every call (several per authenticated request).
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    std::fputs("onvifgw: EVP_Digest failed\n", stderr);
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // HMAC() accepts a null key pointer only with length 0; give it a valid one.
  static const unsigned char kEmpty = 0;
  const void* k = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  if (HMAC(md, k, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out,
           &len) == nullptr) {
    std::fputs("onvifgw: HMAC failed\n", stderr);
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

// OpenSSL 3 resolves EVP_sha1() & co. through the provider machinery on
// every use (an implicit fetch behind a global lock); fetching once and
// keeping the result makes each digest a plain computation.
static const EVP_MD* Fetched(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) {
    std::fputs("onvifgw: EVP_MD_fetch failed\n", stderr);
    std::abort();
  }
  return md;  // kept for the life of the process
}
static const EVP_MD* Md5Md() {
  static const EVP_MD* md = Fetched("MD5");
  return md;
}
static const EVP_MD* Sha1Md() {
  static const EVP_MD* md = Fetched("SHA1");
  return md;
}
static const EVP_MD* Sha256Md() {
  static const EVP_MD* md = Fetched("SHA256");
  return md;
}

std::string Md5(std::string_view data) { return Digest(Md5Md(), data); }
std::string Sha1(std::string_view data) { return Digest(Sha1Md(), data); }
std::string Sha256(std::string_view data) { return Digest(Sha256Md(), data); }

std::string HmacSha1(std::string_view key, std::string_view message) {
  return Hmac(Sha1Md(), key, message);
}
std::string HmacSha256(std::string_view key, std::string_view message) {
  return Hmac(Sha256Md(), key, message);
}

std::string HexLower(std::string_view bytes) { return HexEncode(bytes, HexCase::kLower); }

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::fputs("onvifgw: RAND_bytes failed\n", stderr);
    std::abort();
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool SecretEquals(std::string_view a, std::string_view b) {
  const std::string ha = Sha256(a);
  const std::string hb = Sha256(b);
  // Both digests always compared, then the lengths: no early exit on content.
  const bool same_digest = CRYPTO_memcmp(ha.data(), hb.data(), ha.size()) == 0;
  return same_digest && a.size() == b.size();
}

}  // namespace onvifgw::security

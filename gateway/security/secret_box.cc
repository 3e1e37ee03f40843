#include "security/secret_box.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "security/crypto_util.h"

namespace onvifgw::security {
namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

constexpr std::size_t kMaxPlaintext = 16 << 20;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

SecretBox::SecretBox(SecretBox&& other) noexcept : key_(other.key_) {
  OPENSSL_cleanse(other.key_.data(), other.key_.size());
}

SecretBox& SecretBox::operator=(SecretBox&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    OPENSSL_cleanse(other.key_.data(), other.key_.size());
  }
  return *this;
}

SecretBox::~SecretBox() { OPENSSL_cleanse(key_.data(), key_.size()); }

Expected<SecretBox, std::string> SecretBox::FromKey(std::string_view key) {
  if (key.size() != kKeyBytes) return MakeUnexpected(std::string("the key must be 32 bytes"));
  SecretBox box;
  std::memcpy(box.key_.data(), key.data(), kKeyBytes);
  return box;
}

Expected<SecretBox, std::string> SecretBox::OpenOrCreate(const std::string& key_path) {
  // Create first (atomic with O_EXCL); fall back to opening an existing key.
  {
    Fd fd(::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() >= 0) {
      std::string key = RandomBytes(kKeyBytes);
      const bool ok = ::fchmod(fd.get(), 0600) == 0 &&
                      ::write(fd.get(), key.data(), key.size()) == ssize_t(kKeyBytes) &&
                      ::fsync(fd.get()) == 0;
      if (!ok) {
        std::string err = Errno("cannot write the key file", key_path);
        ::unlink(key_path.c_str());
        OPENSSL_cleanse(key.data(), key.size());
        return MakeUnexpected(std::move(err));
      }
      auto box = FromKey(key);
      OPENSSL_cleanse(key.data(), key.size());
      return box;
    }
    if (errno != EEXIST) return MakeUnexpected(Errno("cannot create the key file", key_path));
  }
  Fd fd(::open(key_path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return MakeUnexpected(Errno("cannot open the key file", key_path));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return MakeUnexpected(Errno("cannot stat the key file", key_path));
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeUnexpected("the key file " + key_path + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return MakeUnexpected("the key file " + key_path +
                          " is accessible by group or others; run chmod 600 on it");
  }
  if (st.st_size != static_cast<off_t>(kKeyBytes)) {
    return MakeUnexpected("the key file " + key_path + " must be exactly 32 bytes");
  }
  std::string key(kKeyBytes, '\0');
  std::size_t got = 0;
  while (got < kKeyBytes) {
    const ssize_t n = ::read(fd.get(), key.data() + got, kKeyBytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      OPENSSL_cleanse(key.data(), key.size());
      return MakeUnexpected(Errno("cannot read the key file", key_path));
    }
    got += static_cast<std::size_t>(n);
  }
  auto box = FromKey(key);
  OPENSSL_cleanse(key.data(), key.size());
  return box;
}

Expected<std::string, std::string> SecretBox::Seal(std::string_view plaintext,
                                                   std::string_view associated_data) const {
  if (plaintext.size() > kMaxPlaintext || associated_data.size() > kMaxPlaintext) {
    return MakeUnexpected(std::string("value too large to seal"));
  }
  const std::string iv = RandomBytes(kIvBytes);
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string out;
  out.reserve(1 + kIvBytes + plaintext.size() + kTagBytes);
  out += static_cast<char>(kVersion);
  out += iv;
  out.resize(1 + kIvBytes + plaintext.size() + kTagBytes);
  auto* ct = reinterpret_cast<unsigned char*>(out.data()) + 1 + kIvBytes;
  int len = 0;
  int total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), U(iv)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ct, &len, U(plaintext), static_cast<int>(plaintext.size())) !=
          1) {
    return MakeUnexpected(std::string("encryption failed"));
  }
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), ct + total, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, ct + plaintext.size()) != 1) {
    return MakeUnexpected(std::string("encryption failed"));
  }
  return out;
}

Expected<std::string, std::string> SecretBox::Open(std::string_view sealed,
                                                   std::string_view associated_data) const {
  const std::string failure = "cannot decrypt (wrong key, wrong record or modified data)";
  if (sealed.size() < 1 + kIvBytes + kTagBytes || sealed.size() > kMaxPlaintext + 64 ||
      associated_data.size() > kMaxPlaintext || static_cast<std::uint8_t>(sealed[0]) != kVersion) {
    return MakeUnexpected(failure);
  }
  const std::string_view iv = sealed.substr(1, kIvBytes);
  const std::string_view ct = sealed.substr(1 + kIvBytes, sealed.size() - 1 - kIvBytes - kTagBytes);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string out(ct.size(), '\0');
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), U(iv)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, U(ct),
                        static_cast<int>(ct.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) !=
          1) {
    OPENSSL_cleanse(out.data(), out.size());
    return MakeUnexpected(failure);
  }
  return out;
}

}  // namespace onvifgw::security

#pragma once
// Authenticated encryption of secrets at rest (user passwords must be stored
// reversibly, FACTS §2.3): AES-256-GCM with a 32-byte key kept in a file.
//
// Sealed format: version byte 0x01 ‖ 12-byte random IV ‖ ciphertext ‖
// 16-byte GCM tag. The associated data (e.g. "device/user/alice") is
// authenticated, not stored: a sealed value moved to another record fails
// to open.
//
// Thread-safe: the key is immutable; each call uses its own cipher context.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/expected.h"

namespace onvifgw::security {

class SecretBox {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  static constexpr std::size_t kIvBytes = 12;
  static constexpr std::size_t kTagBytes = 16;
  static constexpr std::uint8_t kVersion = 1;

  /// Loads the key from `key_path`, or creates it (32 random bytes, mode
  /// 0600, O_CREAT|O_EXCL, fsync) when the file does not exist. Refuses an
  /// existing key that is not a regular file, is a symlink, has any group or
  /// other permission bit set, or is not exactly 32 bytes long. The parent
  /// directory must exist. Errors name the path and the reason.
  static Expected<SecretBox, std::string> OpenOrCreate(const std::string& key_path);

  /// A box over a key given in memory (tests, fuzzers); must be 32 bytes.
  static Expected<SecretBox, std::string> FromKey(std::string_view key);

  SecretBox(SecretBox&& other) noexcept;
  SecretBox& operator=(SecretBox&& other) noexcept;
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;
  ~SecretBox();

  Expected<std::string, std::string> Seal(std::string_view plaintext,
                                          std::string_view associated_data) const;
  /// Values over 16 MiB are refused.
  /// Fails ("cannot decrypt") on a wrong version, a short input, a wrong key,
  /// wrong associated data or any modified byte.
  Expected<std::string, std::string> Open(std::string_view sealed,
                                          std::string_view associated_data) const;

 private:
  SecretBox() = default;
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace onvifgw::security

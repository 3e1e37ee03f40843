#pragma once
// Thin wrappers over OpenSSL 3 for the security room: hashes, HMACs, random
// bytes and constant-time comparison. Byte strings are std::string.
//
// Pure functions; thread-safe (OpenSSL 3 needs no locking setup).

#include <cstddef>
#include <string>
#include <string_view>

namespace onvifgw::security {

std::string Md5(std::string_view data);
std::string Sha1(std::string_view data);
std::string Sha256(std::string_view data);
std::string HmacSha1(std::string_view key, std::string_view message);
std::string HmacSha256(std::string_view key, std::string_view message);

/// Lower-case hex of `bytes`.
std::string HexLower(std::string_view bytes);

/// `n` bytes from the OpenSSL CSPRNG. Aborts if the CSPRNG fails: running
/// without randomness would silently weaken nonces and keys.
std::string RandomBytes(std::size_t n);

/// Equal-length byte strings compared without data-dependent timing
/// (CRYPTO_memcmp). Different lengths compare unequal immediately, which
/// reveals only the length; use SecretEquals when the length is secret.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// Compares SHA-256 digests of both strings in constant time, so neither the
/// content nor the length of the expected secret leaks through timing.
bool SecretEquals(std::string_view a, std::string_view b);

}  // namespace onvifgw::security

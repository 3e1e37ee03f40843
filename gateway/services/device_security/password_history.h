#pragma once
// Password history (Core §8.4.x, SetPasswordHistoryConfiguration): while it is
// enabled, a user's new password may not be one of its last `length`
// passwords. Each user's previous passwords are one sealed setting
// ("password_history/<user>"), written in the same transaction as the
// password change it records.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/expected.h"
#include "services/device_security/stored_form.h"
#include "services/device_security/user_accounts.h"
#include "soap/fault.h"

namespace onvifgw::services {

struct PasswordHistory {
  bool enabled = false;
  int length = 0;
};

class PasswordHistoryRecords {
 public:
  /// Settings keys of the users' password histories: this, then the user name.
  static constexpr const char* kKeyPrefix = "password_history/";

  /// Reads a stored setting (nullopt: none).
  using Reader = std::function<std::optional<std::string>(const std::string& key)>;
  using Settings = std::vector<std::pair<std::string, std::string>>;

  /// The settings to store with `next`: for each user of `before` whose
  /// password changes, its history with the old password added first (cut
  /// to `config.length`). Nothing while the history is disabled. A new
  /// password found in its user's history: ter:OperationProhibited /
  /// ter:PasswordTooWeak.
  static Expected<Settings, soap::Fault> Record(const std::vector<UserAccount>& before,
                                                const std::vector<UserAccount>& next,
                                                const PasswordHistory& config, const Reader& stored,
                                                const DeviceSecrets& secrets);

  /// The list as it is sealed: each item as <length>:<bytes>. Decoding
  /// stops at the first malformed item, without exceptions.
  static std::string EncodeList(const std::vector<std::string>& items);
  static std::vector<std::string> DecodeList(const std::string& encoded);
};

}  // namespace onvifgw::services

#pragma once
// The device's password rules: complexity (SetPasswordComplexityConfiguration)
// and history (SetPasswordHistoryConfiguration), stored as the schema's XML.
// Once a client locks the policy (PolicyConfigurationLocked), neither can be
// changed again but by a factory default. A value type.

#include <optional>
#include <string>

#include "core/expected.h"
#include "security/credential_rules.h"
#include "services/device_security/password_history.h"
#include "soap/fault.h"

namespace onvifgw::services {

/// Writes the six complexity fields into a message that carries them: the
/// stored form (SetPasswordComplexityConfiguration) and
/// GetPasswordComplexityConfigurationResponse name them alike.
template <typename Message>
void FillComplexityFields(const security::PasswordComplexityConfiguration& c, Message* m) {
  m->set_minlen(c.min_len);
  m->set_uppercase(c.uppercase);
  m->set_number(c.number);
  m->set_specialchars(c.special_chars);
  m->set_blockusernameoccurrence(c.block_username_occurrence);
  m->set_policyconfigurationlocked(c.policy_configuration_locked);
}

class PasswordRules {
 public:
  static constexpr const char* kComplexityKey = "password_complexity";
  static constexpr const char* kHistoryKey = "password_history";

  /// The rules as stored (nullopt: the default, none).
  static Expected<PasswordRules, std::string> Decode(const std::optional<std::string>& complexity,
                                                     const std::optional<std::string>& history);

  const security::PasswordComplexityConfiguration& complexity() const { return complexity_; }
  const PasswordHistory& history() const { return history_; }
  std::string EncodeComplexity() const;
  std::string EncodeHistory() const;

  /// ter:OperationProhibited once the policy is locked.
  std::optional<soap::Fault> SetComplexity(const security::PasswordComplexityConfiguration& c);
  std::optional<soap::Fault> SetHistory(const PasswordHistory& h);

 private:
  security::PasswordComplexityConfiguration complexity_;
  PasswordHistory history_;
};

}  // namespace onvifgw::services

#include "services/device_security/password_rules.h"

#include "onvif/generated/tds.pb.h"
#include "services/device_security/stored_form.h"

namespace onvifgw::services {
namespace {

namespace tds = ::onvifgw::onvif::tds;

soap::Fault Locked() {
  return soap::Fault{
      soap::FaultCode::kSender, {"OperationProhibited"}, "The password policy is locked"};
}

}  // namespace

Expected<PasswordRules, std::string> PasswordRules::Decode(
    const std::optional<std::string>& complexity, const std::optional<std::string>& history) {
  PasswordRules rules;
  if (complexity) {
    tds::SetPasswordComplexityConfiguration c;
    if (!RestoreStored(*complexity, &c)) {
      return MakeUnexpected(std::string("stored password complexity is unreadable"));
    }
    rules.complexity_ = {c.minlen(),
                         c.uppercase(),
                         c.number(),
                         c.specialchars(),
                         c.blockusernameoccurrence(),
                         c.policyconfigurationlocked()};
  }
  if (history) {
    tds::SetPasswordHistoryConfiguration h;
    if (!RestoreStored(*history, &h)) {
      return MakeUnexpected(std::string("stored password history settings are unreadable"));
    }
    rules.history_ = {h.enabled(), h.length()};
  }
  return rules;
}

std::string PasswordRules::EncodeComplexity() const {
  tds::SetPasswordComplexityConfiguration p;
  FillComplexityFields(complexity_, &p);
  return StoredForm(p);
}

std::string PasswordRules::EncodeHistory() const {
  tds::SetPasswordHistoryConfiguration p;
  p.set_enabled(history_.enabled);
  p.set_length(history_.length);
  return StoredForm(p);
}

std::optional<soap::Fault> PasswordRules::SetComplexity(
    const security::PasswordComplexityConfiguration& c) {
  if (complexity_.policy_configuration_locked) return Locked();
  complexity_ = c;
  return std::nullopt;
}

std::optional<soap::Fault> PasswordRules::SetHistory(const PasswordHistory& h) {
  if (complexity_.policy_configuration_locked) return Locked();
  history_ = h;
  return std::nullopt;
}

}  // namespace onvifgw::services

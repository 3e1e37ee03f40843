#include "services/device_security/password_history.h"

#include <algorithm>
#include <charconv>

namespace onvifgw::services {

std::string PasswordHistoryRecords::EncodeList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    out += std::to_string(s.size());
    out += ':';
    out += s;
  }
  return out;
}

std::vector<std::string> PasswordHistoryRecords::DecodeList(const std::string& in) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::size_t colon = in.find(':', pos);
    if (colon == std::string::npos) break;
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(in.data() + pos, in.data() + colon, n);
    if (ec != std::errc() || end != in.data() + colon || n > in.size() - colon - 1) break;
    out.push_back(in.substr(colon + 1, n));
    pos = colon + 1 + n;
  }
  return out;
}

Expected<PasswordHistoryRecords::Settings, soap::Fault> PasswordHistoryRecords::Record(
    const std::vector<UserAccount>& before, const std::vector<UserAccount>& next,
    const PasswordHistory& config, const Reader& stored, const DeviceSecrets& secrets) {
  Settings updates;
  if (!config.enabled) return updates;
  for (const UserAccount& u : next) {
    auto old = std::find_if(before.begin(), before.end(),
                            [&](const UserAccount& o) { return o.username == u.username; });
    if (old == before.end() || old->password == u.password) continue;  // new or unchanged
    const std::string key = kKeyPrefix + u.username;
    std::vector<std::string> list;
    if (auto sealed = stored(key)) {
      if (auto plain = secrets.Open(key, *sealed)) list = DecodeList(*plain);
    }
    if (std::find(list.begin(), list.end(), u.password) != list.end()) {
      return MakeUnexpected(soap::Fault{soap::FaultCode::kSender,
                                        {"OperationProhibited", "PasswordTooWeak"},
                                        "The password was used recently"});
    }
    list.insert(list.begin(), old->password);
    list.resize(std::min(list.size(), static_cast<std::size_t>(std::max(config.length, 0))));
    auto sealed = secrets.Seal(key, EncodeList(list));
    if (!sealed) {
      return MakeUnexpected(soap::ActionFailed("The change could not be stored"));
    }
    updates.emplace_back(key, std::move(*sealed));
  }
  return updates;
}

}  // namespace onvifgw::services

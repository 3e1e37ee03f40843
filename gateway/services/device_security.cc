#include "services/device_security.h"

#include <google/protobuf/unknown_field_set.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>

#include "core/log.h"
#include "soap/codec.h"
#include "soap/xml_document.h"

namespace onvifgw::services {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;

constexpr const char* kPolicyKey = "access_policy";
constexpr const char* kIpFilterKey = "ip_filter";
constexpr const char* kComplexityKey = "password_complexity";
constexpr const char* kHistoryKey = "password_history";
constexpr const char* kWarningKey = "auth_failure_warning";
constexpr const char* kRemoteUserKey = "remote_user";
constexpr const char* kDigestAlgorithmsKey = "digest_algorithms";

// Associated data binds a sealed value to where it belongs: a password copied
// to another user's row or device does not open.
std::string Aad(const std::string& device, const std::string& what) {
  return "onvifgw/" + device + "/" + what;
}

std::string GeneratePassword() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  unsigned char raw[18];
  if (RAND_bytes(raw, sizeof raw) != 1) std::abort();
  std::string out;
  for (unsigned char c : raw) out += kAlphabet[c % (sizeof kAlphabet - 1)];
  return out;
}

// Length-prefixed list of strings (password history, sealed as a whole).
std::string EncodeList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    out += std::to_string(s.size());
    out += ':';
    out += s;
  }
  return out;
}

std::vector<std::string> DecodeList(const std::string& in) {
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

// Settings of ONVIF types are stored as the XML the schema defines, which
// stays readable whatever numbers the generated messages get. Values written
// by earlier versions are binary protobuf of the then hand-written
// declarations: same numbers, except tt:IPAddressFilter's Type, then a string.
std::string StoredForm(const google::protobuf::Message& m) {
  return soap::EncodeFragment(m, "", "Stored");
}

bool Restore(const std::string& blob, google::protobuf::Message* m) {
  if (blob.empty() || blob.front() != '<') return m->ParseFromString(blob);
  auto doc = soap::ParseXmlDocument(blob, soap::XmlLimits{});
  if (!doc) return false;
  return soap::DecodeElement(xmlDocGetRootElement(doc->get()), m).ok();
}

void RestoreLegacyFilterType(tt::IPAddressFilter* f) {
  const auto& unknown = f->GetReflection()->GetUnknownFields(*f);
  for (int i = 0; i < unknown.field_count(); ++i) {
    const auto& u = unknown.field(i);
    if (u.number() == 1 && u.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      f->set_type(u.length_delimited() == "Deny" ? tt::IPAddressFilterType_Deny
                                                 : tt::IPAddressFilterType_Allow);
    }
  }
  f->GetReflection()->MutableUnknownFields(f)->Clear();
}

std::vector<security::IpPrefix> PrefixesOf(const tt::IPAddressFilter& f) {
  std::vector<security::IpPrefix> out;
  for (const auto& a : f.ipv4address()) {
    if (auto p = security::ParseIpv4Prefix(a.address(), a.prefixlength())) out.push_back(*p);
  }
  for (const auto& a : f.ipv6address()) {
    if (auto p = security::ParseIpv6Prefix(a.address(), a.prefixlength())) out.push_back(*p);
  }
  return out;
}

std::shared_ptr<const security::IpFilter> BuildFilter(const tt::IPAddressFilter& f) {
  if (f.ipv4address_size() == 0 && f.ipv6address_size() == 0) return nullptr;  // no filter
  return std::make_shared<const security::IpFilter>(f.type() == tt::IPAddressFilterType_Deny
                                                        ? security::IpFilter::Type::kDeny
                                                        : security::IpFilter::Type::kAllow,
                                                    PrefixesOf(f));
}

}  // namespace

DeviceSecurity::DeviceSecurity(std::string device_id, std::string endpoint_reference,
                               store::StateStore& store, security::SecretBox& box, Options options)
    : device_id_(std::move(device_id)),
      endpoint_reference_(std::move(endpoint_reference)),
      store_(store),
      box_(box),
      options_(options),
      digest_(device_id_, {security::DigestAlgorithm::kMd5, security::DigestAlgorithm::kSha256},
              options.digest_nonce_lifetime),
      tokens_(security::UsernameTokenVerifier::Options{options.token_window}),
      policy_(security::AccessPolicy::Default()) {}

soap::Fault DeviceSecurity::StorageFault() {
  return soap::ActionFailed("The change could not be stored; nothing was changed");
}

Expected<std::unique_ptr<DeviceSecurity>, std::string> DeviceSecurity::Load(
    const std::string& device_id, const std::string& endpoint_reference, store::StateStore& store,
    security::SecretBox& box, Options options,
    const std::optional<config::AdminConfig>& configured_admin) {
  std::unique_ptr<DeviceSecurity> sec(
      new DeviceSecurity(device_id, endpoint_reference, store, box, options));
  auto stored = store.Users(device_id);
  if (!stored) return MakeUnexpected(stored.error());
  for (const auto& u : *stored) {
    auto password = box.Open(u.sealed_password, Aad(device_id, "user/" + u.username));
    if (!password) {
      return MakeUnexpected("device " + device_id + ": the password of user '" + u.username +
                            "' cannot be decrypted (wrong or replaced key file?)");
    }
    auto level = security::ParseUserLevel(u.level);
    if (!level)
      return MakeUnexpected("device " + device_id + ": bad level of '" + u.username + "'");
    sec->users_.push_back(UserAccount{u.username, *password, *level, u.fixed});
  }
  if (auto st = sec->LoadSettings(); !st) return MakeUnexpected(st.error());

  // The configured administrator is fixed and follows the config file (the
  // operator's source of truth); without one, a first start generates one.
  bool changed = false;
  if (configured_admin) {
    if (auto e = security::ValidateUsername(configured_admin->username)) {
      return MakeUnexpected("device " + device_id +
                            ": admin username: " + std::string(security::Describe(*e)));
    }
    if (auto e = security::ValidatePassword(configured_admin->password, configured_admin->username,
                                            security::PasswordComplexityConfiguration{})) {
      return MakeUnexpected("device " + device_id +
                            ": admin password: " + std::string(security::Describe(*e)));
    }
    auto it = std::find_if(sec->users_.begin(), sec->users_.end(), [&](const UserAccount& u) {
      return u.username == configured_admin->username;
    });
    UserAccount admin{configured_admin->username, configured_admin->password,
                      security::UserLevel::kAdministrator, true};
    if (it == sec->users_.end()) {
      sec->users_.insert(sec->users_.begin(), admin);
      changed = true;
    } else if (it->password != admin.password || !it->fixed ||
               it->level != security::UserLevel::kAdministrator) {
      *it = admin;
      changed = true;
    }
    for (auto& u : sec->users_) {
      if (u.fixed && u.username != admin.username) {
        u.fixed = false;  // a previously configured administrator is no longer fixed
        changed = true;
      }
    }
  } else if (sec->users_.empty()) {
    UserAccount admin{"admin", GeneratePassword(), security::UserLevel::kAdministrator, false};
    // The one log line that carries a password, by design: the operator
    // needs it once to log in and change it.
    log::WriteAbout(log::Level::kWarn, "security", device_id,
                    "no administrator configured; created user '" + admin.username +
                        "' with password '" + admin.password +
                        "' (shown once; change it with SetUser)");
    sec->users_.push_back(admin);
    changed = true;
  }
  if (changed) {
    std::vector<UserAccount> users = sec->users_;
    if (auto st = sec->ChangeUsers(
            [&](std::vector<UserAccount>& u) -> Status<soap::Fault> {
              u = users;
              return {};
            },
            /*check_history=*/false);
        !st) {
      return MakeUnexpected("device " + device_id + ": cannot store the administrator");
    }
  }
  return sec;
}

Status<std::string> DeviceSecurity::Reload(
    const std::optional<config::AdminConfig>& configured_admin) {
  // Loaded as at start-up into a fresh object, then taken over whole, so
  // that requests see either the old state or the new one.
  auto fresh = Load(device_id_, endpoint_reference_, store_, box_, options_, configured_admin);
  if (!fresh) return MakeUnexpected(fresh.error());
  DeviceSecurity& f = **fresh;
  std::unique_lock lock(mu_);
  users_ = std::move(f.users_);
  policy_ = std::move(f.policy_);
  ip_filter_proto_ = std::move(f.ip_filter_proto_);
  ip_filter_ = std::move(f.ip_filter_);
  complexity_ = f.complexity_;
  history_ = f.history_;
  warning_ = f.warning_;
  remote_user_ = std::move(f.remote_user_);
  failures_.clear();
  last_warning_ = {};
  digest_.SetAlgorithms(f.digest_.algorithms());
  return {};
}

Status<std::string> DeviceSecurity::LoadSettings() {
  auto get = [this](const char* key) { return store_.Setting(device_id_, key); };
  if (auto v = get(kPolicyKey); !v) {
    return MakeUnexpected(v.error());
  } else if (*v) {
    auto p = security::AccessPolicy::Parse(**v);
    if (!p) return MakeUnexpected("stored access policy: " + p.error());
    policy_ = *p;
  }
  if (auto v = get(kIpFilterKey); v && *v) {
    if (!Restore(**v, &ip_filter_proto_))
      return MakeUnexpected("device " + device_id_ + ": stored IP filter is unreadable");
    RestoreLegacyFilterType(&ip_filter_proto_);
    ip_filter_ = BuildFilter(ip_filter_proto_);
  }
  if (!ip_filter_proto_.has_type()) ip_filter_proto_.set_type(tt::IPAddressFilterType_Allow);
  if (auto v = get(kComplexityKey); v && *v) {
    tds::SetPasswordComplexityConfiguration c;
    if (!Restore(**v, &c))
      return MakeUnexpected("device " + device_id_ +
                            ": stored password or warning settings are unreadable");
    complexity_ = {c.minlen(),
                   c.uppercase(),
                   c.number(),
                   c.specialchars(),
                   c.blockusernameoccurrence(),
                   c.policyconfigurationlocked()};
  }
  if (auto v = get(kHistoryKey); v && *v) {
    tds::SetPasswordHistoryConfiguration h;
    if (!Restore(**v, &h))
      return MakeUnexpected("device " + device_id_ +
                            ": stored password or warning settings are unreadable");
    history_ = {h.enabled(), h.length()};
  }
  if (auto v = get(kWarningKey); v && *v) {
    tds::SetAuthFailureWarningConfiguration w;
    if (!Restore(**v, &w))
      return MakeUnexpected("device " + device_id_ +
                            ": stored password or warning settings are unreadable");
    warning_ = {w.enabled(), w.monitorperiod(), w.maxauthfailures()};
  }
  if (auto v = get(kDigestAlgorithmsKey); v && *v) {
    std::vector<security::DigestAlgorithm> algorithms;
    std::string_view rest = **v;
    while (!rest.empty()) {
      const std::size_t sp = rest.find(' ');
      if (auto a = security::ParseDigestAlgorithm(rest.substr(0, sp))) algorithms.push_back(*a);
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    }
    if (algorithms.empty()) return MakeUnexpected(std::string("stored digest algorithms: empty"));
    digest_.SetAlgorithms(std::move(algorithms));
  }
  if (auto v = get(kRemoteUserKey); v && *v && !(*v)->empty()) {
    auto plain = box_.Open(**v, Aad(device_id_, kRemoteUserKey));
    if (!plain) return MakeUnexpected("stored remote user cannot be decrypted");
    tt::RemoteUser r;
    if (!Restore(*plain, &r))
      return MakeUnexpected("device " + device_id_ + ": stored remote user is unreadable");
    remote_user_ = r;
  }
  return {};
}

Status<soap::Fault> DeviceSecurity::Persist(const std::string& key, const std::string& value) {
  if (auto st = store_.PutSetting(device_id_, key, value); !st) {
    log::WriteAbout(log::Level::kError, "security", device_id_,
                    "storing " + key + " failed: " + st.error());
    return MakeUnexpected(StorageFault());
  }
  return {};
}

std::vector<UserAccount> DeviceSecurity::users() const {
  std::shared_lock lock(mu_);
  return users_;
}

std::optional<UserAccount> DeviceSecurity::FindUser(const std::string& username) const {
  std::shared_lock lock(mu_);
  for (const auto& u : users_) {
    if (u.username == username) return u;
  }
  return std::nullopt;
}

Status<soap::Fault> DeviceSecurity::ChangeUsers(
    const std::function<Status<soap::Fault>(std::vector<UserAccount>&)>& change,
    bool check_history) {
  std::unique_lock lock(mu_);
  std::vector<UserAccount> next = users_;
  if (auto st = change(next); !st) return st;
  // Password history: a changed password may not be one of the last N.
  std::vector<std::pair<std::string, std::string>> history_updates;
  for (const UserAccount& u :
       history_.enabled&& check_history ? next : std::vector<UserAccount>{}) {
    auto old = std::find_if(users_.begin(), users_.end(),
                            [&](const UserAccount& o) { return o.username == u.username; });
    if (old == users_.end() || old->password == u.password) continue;  // new or unchanged
    const std::string key = kPasswordHistoryKeyPrefix + u.username;
    std::vector<std::string> list;
    if (auto v = store_.Setting(device_id_, key); v && *v) {
      if (auto plain = box_.Open(**v, Aad(device_id_, key))) list = DecodeList(*plain);
    }
    if (std::find(list.begin(), list.end(), u.password) != list.end()) {
      return MakeUnexpected(soap::Fault{soap::FaultCode::kSender,
                                        {"OperationProhibited", "PasswordTooWeak"},
                                        "The password was used recently"});
    }
    list.insert(list.begin(), old->password);
    list.resize(std::min(list.size(), static_cast<std::size_t>(std::max(history_.length, 0))));
    auto sealed = box_.Seal(EncodeList(list), Aad(device_id_, key));
    if (!sealed) return MakeUnexpected(StorageFault());
    history_updates.emplace_back(key, *sealed);
  }
  std::vector<store::StoredUser> rows;
  for (const UserAccount& u : next) {
    auto sealed = box_.Seal(u.password, Aad(device_id_, "user/" + u.username));
    if (!sealed) return MakeUnexpected(StorageFault());
    rows.push_back({u.username, std::string(security::UserLevelName(u.level)), *sealed, u.fixed});
  }
  // The users and the history of their changed passwords: one transaction.
  if (auto st = store_.ReplaceUsers(device_id_, rows, history_updates); !st) {
    log::WriteAbout(log::Level::kError, "security", device_id_,
                    "storing users failed: " + st.error());
    return MakeUnexpected(StorageFault());
  }
  users_ = std::move(next);
  return {};
}

security::AccessPolicy DeviceSecurity::policy() const {
  std::shared_lock lock(mu_);
  return policy_;
}

Status<soap::Fault> DeviceSecurity::SetPolicy(const security::AccessPolicy& policy) {
  std::unique_lock lock(mu_);
  if (auto st = Persist(kPolicyKey, policy.Serialize()); !st) return st;
  policy_ = policy;
  return {};
}

onvif::tt::IPAddressFilter DeviceSecurity::ip_filter() const {
  std::shared_lock lock(mu_);
  return ip_filter_proto_;
}

Status<soap::Fault> DeviceSecurity::SetIpFilter(const onvif::tt::IPAddressFilter& filter) {
  auto built = BuildFilter(filter);
  std::unique_lock lock(mu_);
  if (auto st = Persist(kIpFilterKey, StoredForm(filter)); !st) return st;
  ip_filter_proto_ = filter;
  ip_filter_ = std::move(built);
  return {};
}

bool DeviceSecurity::Admits(const std::string& remote_address) const {
  std::shared_ptr<const security::IpFilter> f;
  {
    std::shared_lock lock(mu_);
    f = ip_filter_;
  }
  if (!f) return true;
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(remote_address, ec);
  return !ec && f->Permits(addr);
}

security::PasswordComplexityConfiguration DeviceSecurity::complexity() const {
  std::shared_lock lock(mu_);
  return complexity_;
}

Status<soap::Fault> DeviceSecurity::SetComplexity(
    const security::PasswordComplexityConfiguration& c) {
  tds::SetPasswordComplexityConfiguration p;
  p.set_minlen(c.min_len);
  p.set_uppercase(c.uppercase);
  p.set_number(c.number);
  p.set_specialchars(c.special_chars);
  p.set_blockusernameoccurrence(c.block_username_occurrence);
  p.set_policyconfigurationlocked(c.policy_configuration_locked);
  std::unique_lock lock(mu_);
  if (complexity_.policy_configuration_locked) {
    return MakeUnexpected(soap::Fault{
        soap::FaultCode::kSender, {"OperationProhibited"}, "The password policy is locked"});
  }
  if (auto st = Persist(kComplexityKey, StoredForm(p)); !st) return st;
  complexity_ = c;
  return {};
}

PasswordHistory DeviceSecurity::history() const {
  std::shared_lock lock(mu_);
  return history_;
}

Status<soap::Fault> DeviceSecurity::SetHistory(const PasswordHistory& h) {
  tds::SetPasswordHistoryConfiguration p;
  p.set_enabled(h.enabled);
  p.set_length(h.length);
  std::unique_lock lock(mu_);
  if (complexity_.policy_configuration_locked) {
    return MakeUnexpected(soap::Fault{
        soap::FaultCode::kSender, {"OperationProhibited"}, "The password policy is locked"});
  }
  if (auto st = Persist(kHistoryKey, StoredForm(p)); !st) return st;
  history_ = h;
  return {};
}

Status<soap::Fault> DeviceSecurity::SetDigestAlgorithms(
    std::vector<security::DigestAlgorithm> algorithms) {
  std::string text;
  for (auto a : algorithms) {
    if (!text.empty()) text += ' ';
    text += security::DigestAlgorithmName(a);
  }
  std::unique_lock lock(mu_);
  if (auto st = Persist(kDigestAlgorithmsKey, text); !st) return st;
  digest_.SetAlgorithms(std::move(algorithms));
  return {};
}

AuthFailureWarning DeviceSecurity::auth_failure_warning() const {
  std::shared_lock lock(mu_);
  return warning_;
}

Status<soap::Fault> DeviceSecurity::SetAuthFailureWarning(const AuthFailureWarning& w) {
  tds::SetAuthFailureWarningConfiguration p;
  p.set_enabled(w.enabled);
  p.set_monitorperiod(w.monitor_period_s);
  p.set_maxauthfailures(w.max_failures);
  std::unique_lock lock(mu_);
  if (auto st = Persist(kWarningKey, StoredForm(p)); !st) return st;
  warning_ = w;
  return {};
}

bool DeviceSecurity::RecordAuthFailure(std::chrono::system_clock::time_point now) {
  std::unique_lock lock(mu_);
  const auto period = std::chrono::seconds(std::max(warning_.monitor_period_s, 1));
  failures_.push_back(now);
  while (!failures_.empty() && (failures_.front() <= now - period || failures_.size() > 100000)) {
    failures_.pop_front();
  }
  if (!warning_.enabled || failures_.size() <= static_cast<std::size_t>(warning_.max_failures)) {
    return false;
  }
  if (now - last_warning_ < period) return false;  // once per period
  last_warning_ = now;
  return true;
}

std::optional<onvif::tt::RemoteUser> DeviceSecurity::remote_user() const {
  std::shared_lock lock(mu_);
  return remote_user_;
}

Status<soap::Fault> DeviceSecurity::SetRemoteUser(
    const std::optional<onvif::tt::RemoteUser>& user) {
  std::string value;
  if (user) {
    auto sealed = box_.Seal(StoredForm(*user), Aad(device_id_, kRemoteUserKey));
    if (!sealed) return MakeUnexpected(StorageFault());
    value = *sealed;
  }
  std::unique_lock lock(mu_);
  if (auto st = Persist(kRemoteUserKey, value); !st) return st;
  remote_user_ = user;
  return {};
}

}  // namespace onvifgw::services

#include "services/device/discovery_settings.h"

#include <algorithm>

namespace onvifgw::services::device {
namespace {

using soap::Fault;

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// A scope is one URI of a space-separated d:Scopes list: it must not be empty
// or contain white space, and is bounded so that ProbeMatches stay small.
std::optional<Fault> CheckScope(const std::string& scope) {
  if (scope.empty()) return soap::InvalidArgVal("An empty scope is not a URI");
  if (scope.size() > DiscoverySettings::kMaxScopeLength) {
    return soap::InvalidArgVal("A scope is longer than " +
                               std::to_string(DiscoverySettings::kMaxScopeLength) + " bytes");
  }
  const bool space = std::any_of(scope.begin(), scope.end(), [](unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  if (space) return soap::InvalidArgVal("A scope URI contains white space: '" + scope + "'");
  return std::nullopt;
}

std::optional<Fault> TooMany(std::size_t n) {
  if (n <= DiscoverySettings::kMaxConfigurableScopes) return std::nullopt;
  return soap::ActionFailed("At most " + std::to_string(DiscoverySettings::kMaxConfigurableScopes) +
                                " configurable scopes are kept",
                            "TooManyScopes");
}

void RaiseMetadataVersion(DiscoveryState& s) {
  s.set_metadata_version(std::max<uint32_t>(s.metadata_version(), 1) + 1);
}

}  // namespace

Status<std::string> DiscoverySettings::Load() {
  if (auto st = StoredSetting::Load(); !st) return st;
  const DiscoveryState s = Current();
  if (std::equal(s.announced_fixed_scopes().begin(), s.announced_fixed_scopes().end(),
                 fixed_.begin(), fixed_.end())) {
    return {};
  }
  auto st = Update([this](DiscoveryState& next) -> std::optional<Fault> {
    // A first run announces version 1; a changed config a higher one.
    if (next.announced_fixed_scopes_size() > 0) RaiseMetadataVersion(next);
    next.mutable_announced_fixed_scopes()->Assign(fixed_.begin(), fixed_.end());
    return std::nullopt;
  });
  if (!st) return MakeUnexpected("device " + device_id() + ": " + st.error().reason);
  return {};
}

DiscoveryState DiscoverySettings::FactoryDefaultState() const {
  DiscoveryState s;
  s.set_metadata_version(Current().metadata_version());
  RaiseMetadataVersion(s);
  s.mutable_announced_fixed_scopes()->Assign(fixed_.begin(), fixed_.end());
  return s;
}

std::vector<std::string> DiscoverySettings::View::All() const {
  std::vector<std::string> all = fixed;
  all.insert(all.end(), configurable.begin(), configurable.end());
  return all;
}

DiscoverySettings::View DiscoverySettings::Snapshot() const {
  const DiscoveryState s = Current();
  View v;
  v.fixed = fixed_;
  v.configurable.assign(s.scopes().begin(), s.scopes().end());
  v.discoverable = !s.non_discoverable();
  v.metadata_version = std::max<uint32_t>(s.metadata_version(), 1);
  return v;
}

bool DiscoverySettings::IsFixed(const std::string& scope) const {
  return std::find(fixed_.begin(), fixed_.end(), scope) != fixed_.end();
}

Expected<bool, Fault> DiscoverySettings::SetScopes(const std::vector<std::string>& scopes) {
  bool changed = false;
  auto st = Update([&](DiscoveryState& s) -> std::optional<Fault> {
    google::protobuf::RepeatedPtrField<std::string> next;
    for (const std::string& scope : scopes) {
      if (auto bad = CheckScope(scope)) return bad;
      if (!IsFixed(scope) && !Contains(next, scope)) *next.Add() = scope;
    }
    if (auto bad = TooMany(static_cast<std::size_t>(next.size()))) return bad;
    changed = !std::equal(next.begin(), next.end(), s.scopes().begin(), s.scopes().end());
    if (changed) {
      s.mutable_scopes()->Swap(&next);
      RaiseMetadataVersion(s);
    }
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(std::move(st).error());
  return changed;
}

Expected<bool, Fault> DiscoverySettings::AddScopes(const std::vector<std::string>& scopes) {
  bool changed = false;
  auto st = Update([&](DiscoveryState& s) -> std::optional<Fault> {
    for (const std::string& scope : scopes) {
      if (auto bad = CheckScope(scope)) return bad;
      if (IsFixed(scope) || Contains(s.scopes(), scope)) continue;
      s.add_scopes(scope);
      changed = true;
    }
    if (auto bad = TooMany(static_cast<std::size_t>(s.scopes_size()))) return bad;
    if (changed) RaiseMetadataVersion(s);
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(std::move(st).error());
  return changed;
}

Expected<std::vector<std::string>, Fault> DiscoverySettings::RemoveScopes(
    const std::vector<std::string>& scopes) {
  std::vector<std::string> removed;
  auto st = Update([&](DiscoveryState& s) -> std::optional<Fault> {
    for (const std::string& scope : scopes) {
      if (IsFixed(scope)) {
        return Fault{soap::FaultCode::kSender,
                     {"OperationProhibited", "FixedScope"},
                     "A fixed scope cannot be removed: " + scope};
      }
      if (!Contains(s.scopes(), scope)) {
        // Named twice in one request counts as absent the second time.
        return soap::InvalidArgVal("The device has no such scope: " + scope, "NoScope");
      }
      auto* list = s.mutable_scopes();
      list->erase(std::find(list->begin(), list->end(), scope));
      removed.push_back(scope);
    }
    if (!removed.empty()) RaiseMetadataVersion(s);
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(std::move(st).error());
  return removed;
}

Status<Fault> DiscoverySettings::AddressesChanged() {
  return Update([](DiscoveryState& s) -> std::optional<Fault> {
    RaiseMetadataVersion(s);
    return std::nullopt;
  });
}

Expected<bool, Fault> DiscoverySettings::SetDiscoverable(bool discoverable) {
  bool changed = false;
  auto st = Update([&](DiscoveryState& s) -> std::optional<Fault> {
    changed = s.non_discoverable() == discoverable;
    s.set_non_discoverable(!discoverable);
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(std::move(st).error());
  return changed;
}

}  // namespace onvifgw::services::device

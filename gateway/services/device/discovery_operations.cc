#include "services/device/discovery_operations.h"

#include <type_traits>

#include "onvif/generated/tds.pb.h"
#include "services/device/discovery_settings.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

std::vector<std::string> ListOf(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return {items.begin(), items.end()};
}

// The device's settings; a device without them (only in unit tests that
// leave them out) has no discovery to report or change.
Expected<DiscoverySettings*, Fault> SettingsOf(const RequestContext& ctx) {
  if (ctx.device.discovery == nullptr) {
    return MakeUnexpected(soap::ActionNotSupported("The device has no discovery settings"));
  }
  return ctx.device.discovery;
}

// A Hello when the device is discoverable: its scopes (and MetadataVersion)
// changed or it has just become discoverable.
void AnnounceIfDiscoverable(const RequestContext& ctx) {
  if (ctx.device.announce && ctx.device.discovery->Snapshot().discoverable) {
    ctx.device.announce(DiscoveryAnnouncement::kHello);
  }
}

Expected<tds::GetScopesResponse, Fault> GetScopes(const RequestContext& ctx,
                                                  const tds::GetScopes&) {
  auto settings = SettingsOf(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  const DiscoverySettings::View v = (*settings)->Snapshot();
  tds::GetScopesResponse r;
  for (const std::string& s : v.fixed) {
    auto* scope = r.add_scopes();
    scope->set_scopedef(tt::ScopeDefinition_Fixed);
    scope->set_scopeitem(s);
  }
  for (const std::string& s : v.configurable) {
    auto* scope = r.add_scopes();
    scope->set_scopedef(tt::ScopeDefinition_Configurable);
    scope->set_scopeitem(s);
  }
  if (r.scopes_size() == 0) {
    return MakeUnexpected(soap::ActionFailed("The device has no scopes", "EmptyScope"));
  }
  return r;
}

// Applies one change to the device's configurable scopes (all or nothing);
// `changed` says from the change's result whether any scope changed, so that
// a Hello announces the new MetadataVersion only then.
template <typename Change, typename Changed>
std::invoke_result_t<Change, DiscoverySettings&> ChangeScopes(const RequestContext& ctx,
                                                              Change change, Changed changed) {
  auto settings = SettingsOf(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  auto result = change(**settings);
  if (result && changed(*result)) AnnounceIfDiscoverable(ctx);
  return result;
}

bool Changed(bool changed) { return changed; }

Expected<tds::SetScopesResponse, Fault> SetScopes(const RequestContext& ctx,
                                                  const tds::SetScopes& req) {
  auto r = ChangeScopes(
      ctx, [&](DiscoverySettings& s) { return s.SetScopes(ListOf(req.scopes())); }, Changed);
  if (!r) return MakeUnexpected(r.error());
  return tds::SetScopesResponse{};
}

Expected<tds::AddScopesResponse, Fault> AddScopes(const RequestContext& ctx,
                                                  const tds::AddScopes& req) {
  auto r = ChangeScopes(
      ctx, [&](DiscoverySettings& s) { return s.AddScopes(ListOf(req.scopeitem())); }, Changed);
  if (!r) return MakeUnexpected(r.error());
  return tds::AddScopesResponse{};
}

Expected<tds::RemoveScopesResponse, Fault> RemoveScopes(const RequestContext& ctx,
                                                        const tds::RemoveScopes& req) {
  auto removed = ChangeScopes(
      ctx, [&](DiscoverySettings& s) { return s.RemoveScopes(ListOf(req.scopeitem())); },
      [](const std::vector<std::string>& items) { return !items.empty(); });
  if (!removed) return MakeUnexpected(removed.error());
  tds::RemoveScopesResponse r;
  for (auto& s : *removed) r.add_scopeitem(std::move(s));
  return r;
}

// Core §8.3.18: the device's mode; NonDiscoverable whenever the gateway runs
// no WS-Discovery at all.
Expected<tds::GetDiscoveryModeResponse, Fault> GetDiscoveryMode(const RequestContext& ctx,
                                                                const tds::GetDiscoveryMode&) {
  const bool discoverable = ctx.device.discovery_enabled && ctx.device.discovery != nullptr &&
                            ctx.device.discovery->Snapshot().discoverable;
  tds::GetDiscoveryModeResponse r;
  r.set_discoverymode(discoverable ? tt::DiscoveryMode_Discoverable
                                   : tt::DiscoveryMode_NonDiscoverable);
  return r;
}

Expected<tds::SetDiscoveryModeResponse, Fault> SetDiscoveryMode(const RequestContext& ctx,
                                                                const tds::SetDiscoveryMode& req) {
  // DiscoveryNotSupported is advertised when the gateway runs no WS-Discovery.
  if (!ctx.device.discovery_enabled) {
    return MakeUnexpected(
        soap::ActionNotSupported("WS-Discovery is switched off in the gateway's configuration"));
  }
  auto settings = SettingsOf(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  const bool discoverable = req.discoverymode() == tt::DiscoveryMode_Discoverable;
  auto changed = (*settings)->SetDiscoverable(discoverable);
  if (!changed) return MakeUnexpected(changed.error());
  if (*changed && ctx.device.announce) {
    ctx.device.announce(discoverable ? DiscoveryAnnouncement::kHello : DiscoveryAnnouncement::kBye);
  }
  return tds::SetDiscoveryModeResponse{};
}

}  // namespace

void BindDiscoveryOperations(ServiceBinder& b) {
  b.Bind("GetScopes", GetScopes)
      .Bind("SetScopes", SetScopes)
      .Bind("AddScopes", AddScopes)
      .Bind("RemoveScopes", RemoveScopes)
      .Bind("GetDiscoveryMode", GetDiscoveryMode)
      .Bind("SetDiscoveryMode", SetDiscoveryMode);
}

}  // namespace onvifgw::services::device

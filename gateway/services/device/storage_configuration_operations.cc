#include "services/device/storage_configuration_operations.h"

#include <algorithm>
#include <cctype>

#include "onvif/generated/tds.pb.h"
#include "services/device/storage_configurations.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
using soap::Fault;

Fault NotKept() { return soap::ActionNotSupported("The device keeps no storage configurations"); }

// A URI as RFC 3986 begins one: a scheme (a letter, then letters, digits,
// "+", "-", ".") and a colon.
bool HasScheme(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
  return std::all_of(uri.begin(), uri.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

// What the device can keep and a client could use (Core §8.8.1): a known
// type, a URI where one is named, a user name with credentials, and no
// renewal (StorageConfigurationRenewal is false).
std::optional<Fault> CheckData(const tds::StorageConfigurationData& d, const char* specific) {
  auto invalid = [&](std::string reason) {
    return soap::InvalidArgVal(std::move(reason), specific);
  };
  if (std::find(kStorageTypes.begin(), kStorageTypes.end(), d.type()) == kStorageTypes.end()) {
    return invalid("Unknown storage type \"" + d.type().substr(0, 32) +
                   "\" (NFS, CIFS, CDMI, FTP, ObjectStorageS3, ObjectStorageAzure)");
  }
  if (!d.has_storageuri() || d.storageuri().empty()) {
    return invalid("A storage configuration needs its StorageUri");
  }
  if (!HasScheme(d.storageuri())) return invalid("StorageUri is not a URI");
  if (d.has_localpath() && !d.localpath().empty() && !HasScheme(d.localpath()) &&
      d.localpath().front() != '/') {
    return invalid("LocalPath is neither a URI nor an absolute path");
  }
  if (d.has_configurationrenewal()) {
    return invalid("Configuration renewal is not offered (StorageConfigurationRenewal is false)");
  }
  return std::nullopt;
}

StorageConfigurations* KeptBy(const RequestContext& ctx) { return ctx.device.storage; }

Expected<tds::GetStorageConfigurationsResponse, Fault> GetStorageConfigurations(
    const RequestContext& ctx, const tds::GetStorageConfigurations&) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  tds::GetStorageConfigurationsResponse r;
  for (auto& c : KeptBy(ctx)->List()) *r.add_storageconfigurations() = std::move(c);
  return r;
}

Expected<tds::GetStorageConfigurationResponse, Fault> GetStorageConfiguration(
    const RequestContext& ctx, const tds::GetStorageConfiguration& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  auto found = KeptBy(ctx)->Find(req.token());
  if (!found) return MakeUnexpected(found.error());
  tds::GetStorageConfigurationResponse r;
  *r.mutable_storageconfiguration() = std::move(*found);
  return r;
}

Expected<tds::CreateStorageConfigurationResponse, Fault> CreateStorageConfiguration(
    const RequestContext& ctx, const tds::CreateStorageConfiguration& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  if (auto bad = CheckData(req.storageconfiguration(), "ConfigModify")) {
    return MakeUnexpected(*bad);
  }
  auto token = KeptBy(ctx)->Create(req.storageconfiguration());
  if (!token) return MakeUnexpected(token.error());
  tds::CreateStorageConfigurationResponse r;
  r.set_token(*token);
  return r;
}

Expected<tds::SetStorageConfigurationResponse, Fault> SetStorageConfiguration(
    const RequestContext& ctx, const tds::SetStorageConfiguration& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  // An unknown token is NoConfig before anything about its data.
  if (auto found = KeptBy(ctx)->Find(req.storageconfiguration().token()); !found) {
    return MakeUnexpected(found.error());
  }
  if (auto bad = CheckData(req.storageconfiguration().data(), "ConfigModify")) {
    return MakeUnexpected(*bad);
  }
  if (auto st = KeptBy(ctx)->Replace(req.storageconfiguration()); !st) {
    return MakeUnexpected(st.error());
  }
  return tds::SetStorageConfigurationResponse{};
}

Expected<tds::DeleteStorageConfigurationResponse, Fault> DeleteStorageConfiguration(
    const RequestContext& ctx, const tds::DeleteStorageConfiguration& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  if (auto st = KeptBy(ctx)->Delete(req.token()); !st) return MakeUnexpected(st.error());
  return tds::DeleteStorageConfigurationResponse{};
}

}  // namespace

void BindStorageConfigurationOperations(ServiceBinder& b) {
  b.Bind("GetStorageConfigurations", GetStorageConfigurations)
      .Bind("CreateStorageConfiguration", CreateStorageConfiguration)
      .Bind("GetStorageConfiguration", GetStorageConfiguration)
      .Bind("SetStorageConfiguration", SetStorageConfiguration)
      .Bind("DeleteStorageConfiguration", DeleteStorageConfiguration);
}

}  // namespace onvifgw::services::device

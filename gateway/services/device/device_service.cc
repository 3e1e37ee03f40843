#include "services/device/device_service.h"

#include <chrono>

#include "adapters/fault_map.h"
#include "onvif/generated/tds.pb.h"
#include "security/credential_rules.h"
#include "services/device/certificate_operations.h"
#include "services/device/date_time_operations.h"
#include "services/device/device_state_reload.h"
#include "services/device/discovery_operations.h"
#include "services/device/dot1x_configurations.h"
#include "services/device/dot1x_operations.h"
#include "services/device/factory_default_operations.h"
#include "services/device/firmware_upgrade.h"
#include "services/device/geo_location_operations.h"
#include "services/device/interface_operations.h"
#include "services/device/io_operations.h"
#include "services/device/network_operations.h"
#include "services/device/network_settings.h"
#include "services/device/security_operations.h"
#include "services/device/storage_configuration_operations.h"
#include "services/device/storage_configurations.h"
#include "services/device/system_backup.h"
#include "services/device/system_backup_operations.h"
#include "services/device/system_information_operations.h"
#include "services/device_security.h"
#include "services/events/event_hub.h"
#include "services/events/event_service.h"
#include "services/service_registry.h"
#include "soap/codec.h"
#include "soap/namespaces.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

// The ONVIF release whose Device service WSDL this implements (Core 26.06).
constexpr int kVersionMajor = 26;
constexpr int kVersionMinor = 6;

// The cached facts of the device's camera; `facts` keeps the immutable
// snapshot alive while `camera` points into it.
struct CameraView {
  std::shared_ptr<const adapters::AdapterFacts> facts;
  const adapters::CameraFacts* camera = nullptr;
};

CameraView CachedCamera(const RequestContext& ctx) {
  CameraView v;
  if (ctx.device.adapter == nullptr) return v;
  v.facts = ctx.device.adapter->facts();
  if (v.facts) v.camera = v.facts->Camera(ctx.device.config.camera);
  return v;
}

bool NetworkStored(const RequestContext& ctx) {
  return ctx.device.network != nullptr && ctx.device.config.network_config_stored;
}

tds::DeviceServiceCapabilities ServiceCapabilities(const RequestContext& ctx) {
  tds::DeviceServiceCapabilities caps;
  auto* net = caps.mutable_network();
  // NTP servers, the DHCP host name flag, dynamic DNS and zero configuration
  // are kept where network settings are stored.
  const bool network = NetworkStored(ctx);
  net->set_ipfilter(false);
  net->set_zeroconfiguration(network);
  net->set_ipversion6(false);
  net->set_dyndns(network);
  net->set_dot11configuration(false);
  net->set_hostnamefromdhcp(network);
  net->set_ntp(network ? NetworkSettings::kMaxEntries : 0);
  // IEEE 802.1X configurations are kept (created, read, changed, deleted).
  const bool dot1x = ctx.device.dot1x != nullptr;
  if (dot1x) net->set_dot1xconfigurations(Dot1XConfigurations::kMax);
  // Security: what the security room really does when it is active.
  const bool secured = ctx.device.security != nullptr;
  net->set_ipfilter(secured);
  auto* sec = caps.mutable_security();
  // HTTPS speaks TLS 1.2 and 1.3 only (the schema has no TLS1.3 flag);
  // CreateCertificate makes key pairs on board.
  sec->set_tls1_0(false);
  sec->set_tls1_1(false);
  sec->set_tls1_2(ctx.device.https != nullptr);
  sec->set_onboardkeygeneration(ctx.device.certificates != nullptr);
  sec->set_accesspolicyconfig(secured);
  sec->set_defaultaccesspolicy(secured);
  sec->set_dot1x(dot1x);
  if (dot1x) {
    for (int m : EapMethodsOf(ctx.device)) sec->add_supportedeapmethods(m);
  }
  sec->set_remoteuserhandling(secured);
  sec->set_x_509token(false);
  sec->set_samltoken(false);
  sec->set_kerberostoken(false);
  sec->set_usernametoken(secured);
  sec->set_httpdigest(secured);
  sec->set_reltoken(false);
  if (secured) {
    sec->set_maxusers(kMaxUsers);
    sec->set_maxusernamelength(static_cast<int>(security::CredentialLimits{}.max_username));
    sec->set_maxpasswordlength(static_cast<int>(security::CredentialLimits{}.max_password));
    for (const char* p : {"PasswordComplexity", "PasswordHistory", "AuthFailureWarning"}) {
      sec->add_securitypolicies(p);
    }
    sec->set_maxpasswordhistory(kMaxPasswordHistory);
    sec->set_maxuserroles(UserRoles::kMax);
    sec->add_hashingalgorithms("MD5");
    sec->add_hashingalgorithms("SHA-256");
  }
  auto* sys = caps.mutable_system();
  sys->set_discoveryresolve(ctx.device.discovery_enabled);
  sys->set_discoverybye(ctx.device.discovery_enabled);
  sys->set_remotediscovery(false);
  // GetSystemBackup and RestoreSystem (MTOM).
  sys->set_systembackup(BackupOffered(ctx.device));
  // GetSystemLog and GetSystemSupportInformation, and both as downloads.
  sys->set_systemlogging(true);
  // StartFirmwareUpgrade, where the camera takes firmware through its adapter.
  sys->set_httpfirmwareupgrade(FirmwareUpgradeOffered(ctx.device));
  // The backup download (GetSystemUris) and StartSystemRestore.
  sys->set_httpsystembackup(BackupOffered(ctx.device));
  sys->set_httpsystemlogging(true);
  sys->set_httpsupportinformation(true);
  // Storage configurations are kept (created, read, changed, deleted).
  sys->set_storageconfiguration(ctx.device.storage != nullptr);
  if (ctx.device.storage != nullptr) {
    sys->set_maxstorageconfigurations(StorageConfigurations::kMax);
    sys->set_storageconfigurationrenewal(false);
    for (std::string_view t : kStorageTypes) sys->add_storagetypessupported(std::string(t));
  }
  // Geo location entries are kept (set, read, deleted); none comes from GPS.
  if (ctx.device.geo_location != nullptr) sys->set_geolocationentries(kMaxGeoLocationEntries);
  sys->set_discoverynotsupported(!ctx.device.discovery_enabled);
  sys->set_networkconfignotsupported(!network);
  sys->set_userconfignotsupported(!secured);
  auto* misc = caps.mutable_misc();
  for (const std::string& c : AuxiliaryCommandsOf(ctx.device)) misc->add_auxiliarycommands(c);
  return caps;
}

tt::DeviceCapabilities LegacyDeviceCapabilities(const RequestContext& ctx) {
  tt::DeviceCapabilities d;
  d.set_xaddr(ctx.ServiceUrl(kPath));
  auto* net = d.mutable_network();
  net->set_ipfilter(ctx.device.security != nullptr);
  net->set_zeroconfiguration(NetworkStored(ctx));
  net->set_ipversion6(false);
  net->set_dyndns(NetworkStored(ctx));
  auto* sys = d.mutable_system();
  sys->set_discoveryresolve(ctx.device.discovery_enabled);
  sys->set_discoverybye(ctx.device.discovery_enabled);
  sys->set_remotediscovery(false);
  sys->set_systembackup(BackupOffered(ctx.device));
  sys->set_systemlogging(true);
  // UpgradeSystemFirmware (MTOM), where the camera takes firmware.
  sys->set_firmwareupgrade(FirmwareUpgradeOffered(ctx.device));
  auto* v = sys->add_supportedversions();
  v->set_major(kVersionMajor);
  v->set_minor(kVersionMinor);
  auto* io = d.mutable_io();
  io->set_inputconnectors(0);
  const CameraView view = CachedCamera(ctx);
  io->set_relayoutputs(view.camera != nullptr &&
                               view.camera->description.capabilities().relay_outputs()
                           ? view.camera->relay_outputs.relays_size()
                           : 0);
  auto* sec = d.mutable_security();
  sec->set_tls1_1(false);
  sec->set_tls1_2(ctx.device.https != nullptr);
  sec->set_onboardkeygeneration(ctx.device.certificates != nullptr);
  sec->set_accesspolicyconfig(ctx.device.security != nullptr);
  auto* ext = sec->mutable_extension();
  ext->set_tls1_0(false);
  ext->mutable_extension()->set_dot1x(ctx.device.dot1x != nullptr);
  if (ctx.device.dot1x != nullptr) {
    for (int m : EapMethodsOf(ctx.device)) ext->mutable_extension()->add_supportedeapmethod(m);
  }
  ext->mutable_extension()->set_remoteuserhandling(ctx.device.security != nullptr);
  return d;
}

// ---------------------------------------------------------------- handlers

Expected<tds::GetDeviceInformationResponse, Fault> GetDeviceInformation(
    const RequestContext& ctx, const tds::GetDeviceInformation&) {
  const CameraView view = CachedCamera(ctx);
  const adapters::CameraFacts* cam = view.camera;
  if (cam == nullptr) {
    return MakeUnexpected(soap::ActionFailed("The camera has not been reached yet"));
  }
  tds::GetDeviceInformationResponse r;
  r.set_manufacturer(cam->information.manufacturer());
  r.set_model(cam->information.model());
  r.set_firmwareversion(cam->information.firmware_version());
  // The virtual device's own identity: unique per device even when two
  // devices front the same camera model (INTEROP §4.20).
  r.set_serialnumber(ctx.device.identity.serial_number);
  r.set_hardwareid(ctx.device.config.hardware.empty() ? ctx.device.identity.hardware_id
                                                      : ctx.device.config.hardware);
  return r;
}

// Derived from the registered services: each one the device offers, with its
// XAddr and, when asked, its capabilities element (Core §8.1.2.2).
Expected<tds::GetServicesResponse, Fault> GetServices(const RequestContext& ctx,
                                                      const tds::GetServices& req) {
  tds::GetServicesResponse r;
  if (ctx.services == nullptr) return r;
  for (const auto& served : ctx.services->services()) {
    if (!served->Available(ctx)) continue;
    auto* service = r.add_service();
    service->set_namespace_(std::string(served->schema->ns));
    service->set_xaddr(ctx.ServiceUrl(served->description.path));
    if (req.includecapability() && served->description.capabilities) {
      service->mutable_capabilities()->add_xml_any(served->description.capabilities(ctx));
    }
    service->mutable_version()->set_major(kVersionMajor);
    service->mutable_version()->set_minor(kVersionMinor);
  }
  return r;
}

Expected<tds::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext& ctx, const tds::GetServiceCapabilities&) {
  tds::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities(ctx);
  return r;
}

// Derived from the registered services: a category is answered by the
// service that registered it; one nobody serves is NoSuchService (Core §8.1.2.4).
Expected<tds::GetCapabilitiesResponse, Fault> GetCapabilities(const RequestContext& ctx,
                                                              const tds::GetCapabilities& req) {
  tds::GetCapabilitiesResponse r;
  auto* caps = r.mutable_capabilities();
  if (ctx.services == nullptr) return r;
  const bool all =
      req.category().empty() || std::find(req.category().begin(), req.category().end(),
                                          tt::CapabilityCategory_All) != req.category().end();
  for (int c : req.category()) {
    if (c == tt::CapabilityCategory_All) continue;
    const std::string name = tt::CapabilityCategory_Name(static_cast<tt::CapabilityCategory>(c))
                                 .substr(std::string_view("CapabilityCategory_").size());
    bool served = false;
    for (const auto& s : ctx.services->services()) {
      if (s->description.legacy_category == name && s->Available(ctx)) served = true;
    }
    if (!served) {
      return MakeUnexpected(soap::ActionNotSupported(
          "The device does not provide the " + name + " service", "NoSuchService"));
    }
  }
  for (const auto& s : ctx.services->services()) {
    const auto& d = s->description;
    if (!d.legacy_capabilities || !s->Available(ctx)) continue;
    const bool wanted =
        all || std::any_of(req.category().begin(), req.category().end(), [&](int c) {
          return tt::CapabilityCategory_Name(static_cast<tt::CapabilityCategory>(c)) ==
                 "CapabilityCategory_" + d.legacy_category;
        });
    if (wanted) d.legacy_capabilities(ctx, caps);
  }
  return r;
}

Expected<tds::GetWsdlUrlResponse, Fault> GetWsdlUrl(const RequestContext& ctx,
                                                    const tds::GetWsdlUrl&) {
  tds::GetWsdlUrlResponse r;
  const ServedService* device = ctx.services ? ctx.services->Get("tds") : nullptr;
  r.set_wsdlurl(device ? std::string(device->schema->wsdl_url) : std::string());
  return r;
}

Expected<tds::GetEndpointReferenceResponse, Fault> GetEndpointReference(
    const RequestContext& ctx, const tds::GetEndpointReference&) {
  tds::GetEndpointReferenceResponse r;
  r.set_guid(ctx.device.identity.endpoint_reference);
  return r;
}

void SystemReboot(const RequestContext& ctx, const tds::SystemReboot&, Completion done) {
  adapters::CameraAdapter* adapter = ctx.device.adapter;
  if (adapter == nullptr || !adapter->available()) {
    done(MakeUnexpected(soap::ActionFailed("The camera is not reachable at the moment")));
    return;
  }
  // The camera first: if it cannot reboot, nothing restarts.
  const VirtualDevice* device = &ctx.device;
  adapter->Reboot(ctx.device.config.camera, [device, done = std::move(done)](
                                                const grpc::Status& st,
                                                const adapters::v1::RebootResponse& resp) {
    if (!st.ok()) {
      done(MakeUnexpected(adapters::FaultFromStatus(st)));
      return;
    }
    tds::SystemRebootResponse r;
    r.set_message("Rebooting in " + std::to_string(resp.expected_downtime_seconds()) + " seconds");
    done(Ok(std::move(r)));
    // Then the virtual device, its answer handed back first (Core: the
    // response is sent before the device reboots).
    RestartVirtualDevice(*device);
  });
}

}  // namespace

void Serve(ServiceRegistry& registry) {
  ServiceDescription d;
  d.path = std::string(kPath);
  d.capabilities = [](const RequestContext& ctx) {
    return soap::EncodeFragment(ServiceCapabilities(ctx), "tds", "Capabilities");
  };
  d.legacy_category = "Device";
  d.legacy_capabilities = [](const RequestContext& ctx, tt::Capabilities* caps) {
    *caps->mutable_device() = LegacyDeviceCapabilities(ctx);
  };
  ServiceBinder b = registry.Serve("tds", std::move(d));
  b.Bind("GetDeviceInformation", GetDeviceInformation)
      .Bind("GetServices", GetServices)
      .Bind("GetServiceCapabilities", GetServiceCapabilities)
      .Bind("GetCapabilities", GetCapabilities)
      .Bind("GetWsdlUrl", GetWsdlUrl)
      .Bind("GetEndpointReference", GetEndpointReference)
      .Bind("SystemReboot", SystemReboot);
  BindSecurityOperations(b);
  BindIoOperations(b);
  BindNetworkOperations(b);
  BindInterfaceOperations(b);
  BindDiscoveryOperations(b);
  BindDateTimeOperations(b);
  BindGeoLocationOperations(b);
  BindStorageConfigurationOperations(b);
  BindDot1XOperations(b);
  BindCertificateOperations(b);
  BindFactoryDefaultOperations(b);
  BindSystemInformationOperations(b);
  BindSystemBackupOperations(b);
  BindFirmwareUpgradeOperations(b);
  // What the device does not offer, and why: the fault says it, the
  // capabilities above do not claim it, and operations_table_test prints it.
  b.Unsupported(
       "cloud firmware upgrade needs a management cloud service (MCS), which the "
       "gateway does not use: StartFirmwareUpgrade uploads firmware over HTTP",
       {"UpgradeFirmware"})
      .Unsupported(
          "remote discovery through a discovery proxy was removed from the ONVIF Core "
          "specification in release 2.6.1 (Core, appendix Deprecated Interfaces)",
          {"GetRemoteDiscoveryMode", "SetRemoteDiscoveryMode", "GetDPAddresses", "SetDPAddresses"})
      // Core names the fault for a device without 802.11: ActionNotSupported/InvalidDot11.
      .Unsupported("the device has no IEEE 802.11 (Wi-Fi) interface",
                   {"GetDot11Capabilities", "GetDot11Status", "ScanAvailableDot11Networks"},
                   "InvalidDot11");
}

}  // namespace onvifgw::services::device

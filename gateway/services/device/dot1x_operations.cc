#include "services/device/dot1x_operations.h"

#include <algorithm>

#include "onvif/generated/tds.pb.h"
#include "services/device/device_certificates.h"
#include "services/device/dot1x_configurations.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

Fault NotKept() {
  return soap::ActionNotSupported("The device keeps no IEEE 802.1X configurations");
}

Dot1XConfigurations* KeptBy(const RequestContext& ctx) { return ctx.device.dot1x; }

// What a configuration needs before it is kept: a token, an identity, an
// EAP method the device offers, certificates it holds where it names any,
// and for the password methods a password. `before` is the configuration it
// replaces, if any: a password left out is then kept, as long as the
// identity is the same.
std::optional<Fault> Check(const RequestContext& ctx, const tt::Dot1XConfiguration& c,
                           const tt::Dot1XConfiguration* before) {
  if (c.dot1xconfigurationtoken().empty()) {
    return soap::InvalidArgVal("Dot1XConfigurationToken is empty");
  }
  if (c.identity().empty()) return soap::InvalidArgVal("Identity is empty");
  const std::vector<int> offered = EapMethodsOf(ctx.device);
  if (std::find(offered.begin(), offered.end(), c.eapmethod()) == offered.end()) {
    std::string list;
    for (int m : offered) list += (list.empty() ? "" : ", ") + std::to_string(m);
    return soap::InvalidArgVal(std::string("EAP method ") + std::to_string(c.eapmethod()) +
                               std::string(" is not offered (SupportedEAPMethods: ") + list + ")");
  }
  const DeviceCertificates* certificates = ctx.device.certificates;
  for (const std::string& id : c.cacertificateid()) {
    if (certificates == nullptr || !certificates->Has(id, true)) {
      return soap::InvalidArgVal(
          std::string("CACertificateID '") + id + "' names no CA certificate", "CertificateID");
    }
  }
  const bool tls =
      c.has_eapmethodconfiguration() && c.eapmethodconfiguration().has_tlsconfiguration();
  if (tls) {
    const std::string& id = c.eapmethodconfiguration().tlsconfiguration().certificateid();
    if (certificates == nullptr || !certificates->Has(id, false)) {
      return soap::InvalidArgVal(std::string("TLSConfiguration/CertificateID '") + id +
                                     "' names no certificate of the device",
                                 "CertificateID");
    }
  }
  if (c.eapmethod() == kEapTls) {
    if (!tls) {
      return soap::InvalidArgVal(
          "EAP-TLS needs the device's client certificate "
          "(EAPMethodConfiguration/TLSConfiguration/CertificateID)");
    }
    return std::nullopt;  // the certificate's key authenticates, not a password
  }
  const bool password = c.has_eapmethodconfiguration() && c.eapmethodconfiguration().has_password();
  const bool kept = before != nullptr && before->identity() == c.identity();
  if (!password && !kept) {
    return soap::InvalidArgVal(std::string("EAP method ") + std::to_string(c.eapmethod()) +
                               " needs the identity's password (EAPMethodConfiguration/Password)");
  }
  return std::nullopt;
}

Expected<tds::GetDot1XConfigurationsResponse, Fault> GetDot1XConfigurations(
    const RequestContext& ctx, const tds::GetDot1XConfigurations&) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  tds::GetDot1XConfigurationsResponse r;
  for (auto& c : KeptBy(ctx)->List()) *r.add_dot1xconfiguration() = std::move(c);
  return r;
}

Expected<tds::GetDot1XConfigurationResponse, Fault> GetDot1XConfiguration(
    const RequestContext& ctx, const tds::GetDot1XConfiguration& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  auto found = KeptBy(ctx)->Find(req.dot1xconfigurationtoken());
  if (!found) return MakeUnexpected(found.error());
  tds::GetDot1XConfigurationResponse r;
  *r.mutable_dot1xconfiguration() = std::move(*found);
  return r;
}

Expected<tds::CreateDot1XConfigurationResponse, Fault> CreateDot1XConfiguration(
    const RequestContext& ctx, const tds::CreateDot1XConfiguration& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  if (auto bad = Check(ctx, req.dot1xconfiguration(), nullptr)) return MakeUnexpected(*bad);
  if (auto st = KeptBy(ctx)->Create(req.dot1xconfiguration()); !st) {
    return MakeUnexpected(st.error());
  }
  return tds::CreateDot1XConfigurationResponse{};
}

Expected<tds::SetDot1XConfigurationResponse, Fault> SetDot1XConfiguration(
    const RequestContext& ctx, const tds::SetDot1XConfiguration& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  // An unknown token is NoConfig before anything about its data.
  auto before = KeptBy(ctx)->Find(req.dot1xconfiguration().dot1xconfigurationtoken());
  if (!before) return MakeUnexpected(before.error());
  if (auto bad = Check(ctx, req.dot1xconfiguration(), &*before)) return MakeUnexpected(*bad);
  if (auto st = KeptBy(ctx)->Replace(req.dot1xconfiguration()); !st) {
    return MakeUnexpected(st.error());
  }
  return tds::SetDot1XConfigurationResponse{};
}

Expected<tds::DeleteDot1XConfigurationResponse, Fault> DeleteDot1XConfiguration(
    const RequestContext& ctx, const tds::DeleteDot1XConfiguration& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  const std::vector<std::string> tokens(req.dot1xconfigurationtoken().begin(),
                                        req.dot1xconfigurationtoken().end());
  if (auto st = KeptBy(ctx)->Delete(tokens); !st) return MakeUnexpected(st.error());
  return tds::DeleteDot1XConfigurationResponse{};
}

}  // namespace

std::vector<int> EapMethodsOf(const VirtualDevice& device) {
  std::vector<int> methods(kPasswordEapMethods.begin(), kPasswordEapMethods.end());
  if (device.certificates != nullptr) methods.insert(methods.begin() + 1, kEapTls);
  return methods;
}

void BindDot1XOperations(ServiceBinder& b) {
  b.Bind("GetDot1XConfigurations", GetDot1XConfigurations)
      .Bind("GetDot1XConfiguration", GetDot1XConfiguration)
      .Bind("CreateDot1XConfiguration", CreateDot1XConfiguration)
      .Bind("SetDot1XConfiguration", SetDot1XConfiguration)
      .Bind("DeleteDot1XConfiguration", DeleteDot1XConfiguration);
}

}  // namespace onvifgw::services::device

#include "services/device/certificate_operations.h"

#include <algorithm>

#include "onvif/generated/tds.pb.h"
#include "services/device/device_certificates.h"
#include "services/device/dot1x_configurations.h"
#include "services/device/https_endpoint.h"
#include "services/xml_time.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

// The self-signed certificate's validity when the client gives none.
constexpr auto kDefaultValidity = std::chrono::hours(24 * 3650);

Fault NotKept() { return soap::ActionNotSupported("The device keeps no certificates"); }

DeviceCertificates* KeptBy(const RequestContext& ctx) { return ctx.device.certificates; }

tt::Certificate ToCertificate(const DeviceCertificates::Entry& e) {
  tt::Certificate c;
  c.set_certificateid(e.id);
  c.mutable_certificate()->set_data(e.der);
  c.mutable_certificate()->set_contenttype("application/pkix-cert");
  return c;
}

// The next connections see what the certificates say now.
Status<Fault> Refresh(const RequestContext& ctx) {
  if (ctx.device.https == nullptr) return {};
  return ctx.device.https->Refresh();
}

Expected<tds::CreateCertificateResponse, Fault> CreateCertificate(
    const RequestContext& ctx, const tds::CreateCertificate& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  DeviceCertificates::NewSelfSigned made;
  made.id = req.certificateid();
  // No subject: the device's name, as a server certificate would carry it.
  made.subject = req.subject().empty() ? std::string("CN=") + ctx.device.config.id : req.subject();
  made.not_before = std::chrono::time_point_cast<std::chrono::seconds>(ctx.device.clock->Now());
  if (req.has_validnotbefore()) {
    auto t = ParseDateTime(req.validnotbefore());
    if (!t) return MakeUnexpected(soap::InvalidArgVal("ValidNotBefore is not an xs:dateTime"));
    made.not_before = *t;
  }
  made.not_after = made.not_before + kDefaultValidity;
  if (req.has_validnotafter()) {
    auto t = ParseDateTime(req.validnotafter());
    if (!t) return MakeUnexpected(soap::InvalidArgVal("ValidNotAfter is not an xs:dateTime"));
    made.not_after = *t;
  }
  made.algorithm = ctx.device.certificate_key;
  auto entry = KeptBy(ctx)->CreateSelfSigned(made);
  if (!entry) return MakeUnexpected(entry.error());
  tds::CreateCertificateResponse r;
  *r.mutable_nvtcertificate() = ToCertificate(*entry);
  return r;
}

Expected<tds::GetCertificatesResponse, Fault> GetCertificates(const RequestContext& ctx,
                                                              const tds::GetCertificates&) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  tds::GetCertificatesResponse r;
  for (const auto& e : KeptBy(ctx)->Certificates()) *r.add_nvtcertificate() = ToCertificate(e);
  return r;
}

Expected<tds::GetCertificatesStatusResponse, Fault> GetCertificatesStatus(
    const RequestContext& ctx, const tds::GetCertificatesStatus&) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  tds::GetCertificatesStatusResponse r;
  for (const auto& s : KeptBy(ctx)->Statuses()) {
    auto* out = r.add_certificatestatus();
    out->set_certificateid(s.id);
    out->set_status(s.enabled);
  }
  return r;
}

Expected<tds::SetCertificatesStatusResponse, Fault> SetCertificatesStatus(
    const RequestContext& ctx, const tds::SetCertificatesStatus& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  std::vector<DeviceCertificates::CertificateStatus> wanted;
  for (const auto& s : req.certificatestatus()) wanted.push_back({s.certificateid(), s.status()});
  // While HTTPS is served, the serving check refuses a change that would
  // leave it nothing it can serve (HttpsEndpoint).
  if (auto st = KeptBy(ctx)->SetStatuses(wanted); !st) return MakeUnexpected(st.error());
  if (auto st = Refresh(ctx); !st) return MakeUnexpected(st.error());
  return tds::SetCertificatesStatusResponse{};
}

Expected<tds::DeleteCertificatesResponse, Fault> DeleteCertificates(
    const RequestContext& ctx, const tds::DeleteCertificates& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  const std::vector<std::string> ids(req.certificateid().begin(), req.certificateid().end());
  for (const auto& id : ids) {
    if (!KeptBy(ctx)->Has(id, false) && !KeptBy(ctx)->Has(id, true)) {
      return MakeUnexpected(soap::InvalidArgVal(
          std::string("No certificate is stored under CertificateID '") + id + "'",
          "CertificateID"));
    }
    if (ctx.device.dot1x != nullptr) {
      if (auto user = ctx.device.dot1x->ConfigurationNaming(id)) {
        return MakeUnexpected(soap::InvalidArgVal(std::string("Certificate '") + id +
                                                  "' is used by the IEEE 802.1X configuration '" +
                                                  *user + "'"));
      }
    }
  }
  if (auto st = KeptBy(ctx)->Delete(ids); !st) return MakeUnexpected(st.error());
  (void)Refresh(ctx);
  return tds::DeleteCertificatesResponse{};
}

Expected<tds::GetPkcs10RequestResponse, Fault> GetPkcs10Request(const RequestContext& ctx,
                                                                const tds::GetPkcs10Request& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  auto der = KeptBy(ctx)->Pkcs10Request(req.certificateid(), req.subject(),
                                        req.has_attributes() ? req.attributes().data() : "");
  if (!der) return MakeUnexpected(der.error());
  tds::GetPkcs10RequestResponse r;
  r.mutable_pkcs10request()->set_data(std::move(der).value());
  r.mutable_pkcs10request()->set_contenttype("application/pkcs10");
  return r;
}

Expected<tds::LoadCertificatesResponse, Fault> LoadCertificates(const RequestContext& ctx,
                                                                const tds::LoadCertificates& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  std::vector<DeviceCertificates::Entry> entries;
  for (const auto& c : req.nvtcertificate()) {
    entries.push_back({c.certificateid(), c.certificate().data()});
  }
  if (auto st = KeptBy(ctx)->LoadForKeyPairs(entries); !st) return MakeUnexpected(st.error());
  // A certificate that replaced the enabled one is served from now on (the
  // serving check made sure it can be).
  if (auto st = Refresh(ctx); !st) return MakeUnexpected(st.error());
  return tds::LoadCertificatesResponse{};
}

Expected<tds::LoadCertificateWithPrivateKeyResponse, Fault> LoadCertificateWithPrivateKey(
    const RequestContext& ctx, const tds::LoadCertificateWithPrivateKey& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  std::vector<DeviceCertificates::WithPrivateKey> entries;
  for (const auto& c : req.certificatewithprivatekey()) {
    entries.push_back({c.certificateid(), c.certificate().data(), c.privatekey().data()});
  }
  if (auto st = KeptBy(ctx)->LoadWithPrivateKeys(entries); !st) return MakeUnexpected(st.error());
  return tds::LoadCertificateWithPrivateKeyResponse{};
}

tt::CertificateUsage Usage(const std::string& text, bool critical) {
  tt::CertificateUsage u;
  u.set_xml_text(text);
  u.set_critical(critical);
  return u;
}

Expected<tds::GetCertificateInformationResponse, Fault> GetCertificateInformation(
    const RequestContext& ctx, const tds::GetCertificateInformation& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  auto facts = KeptBy(ctx)->Information(req.certificateid());
  if (!facts) return MakeUnexpected(facts.error());
  tds::GetCertificateInformationResponse r;
  auto* info = r.mutable_certificateinformation();
  info->set_certificateid(req.certificateid());
  info->set_issuerdn(facts->issuer_dn);
  info->set_subjectdn(facts->subject_dn);
  if (facts->has_key_usage) {
    *info->mutable_keyusage() = Usage(facts->key_usage, facts->key_usage_critical);
  }
  if (facts->has_extended_key_usage) {
    *info->mutable_extendedkeyusage() =
        Usage(facts->extended_key_usage, facts->extended_key_usage_critical);
  }
  info->set_keylength(facts->key_bits);
  info->set_version(std::to_string(facts->version));
  info->set_serialnum(facts->serial);
  info->set_signaturealgorithm(facts->signature_algorithm);
  info->mutable_validity()->set_from(FormatDateTime(facts->not_before));
  info->mutable_validity()->set_until(FormatDateTime(facts->not_after));
  return r;
}

Expected<tds::GetCACertificatesResponse, Fault> GetCACertificates(const RequestContext& ctx,
                                                                  const tds::GetCACertificates&) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  tds::GetCACertificatesResponse r;
  for (const auto& e : KeptBy(ctx)->CaCertificates()) *r.add_cacertificate() = ToCertificate(e);
  return r;
}

Expected<tds::LoadCACertificatesResponse, Fault> LoadCACertificates(
    const RequestContext& ctx, const tds::LoadCACertificates& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  std::vector<DeviceCertificates::Entry> entries;
  for (const auto& c : req.cacertificate()) {
    entries.push_back({c.certificateid(), c.certificate().data()});
  }
  if (auto st = KeptBy(ctx)->LoadCa(entries); !st) return MakeUnexpected(st.error());
  (void)Refresh(ctx);  // client certificates may chain to the new ones
  return tds::LoadCACertificatesResponse{};
}

Expected<tds::GetClientCertificateModeResponse, Fault> GetClientCertificateMode(
    const RequestContext& ctx, const tds::GetClientCertificateMode&) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  tds::GetClientCertificateModeResponse r;
  r.set_enabled(KeptBy(ctx)->ClientCertificateMode());
  return r;
}

Expected<tds::SetClientCertificateModeResponse, Fault> SetClientCertificateMode(
    const RequestContext& ctx, const tds::SetClientCertificateMode& req) {
  if (KeptBy(ctx) == nullptr) return MakeUnexpected(NotKept());
  const bool before = KeptBy(ctx)->ClientCertificateMode();
  if (auto st = KeptBy(ctx)->SetClientCertificateMode(req.enabled()); !st) {
    return MakeUnexpected(st.error());
  }
  if (auto st = Refresh(ctx); !st) {
    (void)KeptBy(ctx)->SetClientCertificateMode(before);
    return MakeUnexpected(st.error());
  }
  return tds::SetClientCertificateModeResponse{};
}

}  // namespace

void BindCertificateOperations(ServiceBinder& b) {
  b.Bind("CreateCertificate", CreateCertificate)
      .Bind("GetCertificates", GetCertificates)
      .Bind("GetCertificatesStatus", GetCertificatesStatus)
      .Bind("SetCertificatesStatus", SetCertificatesStatus)
      .Bind("DeleteCertificates", DeleteCertificates)
      .Bind("GetPkcs10Request", GetPkcs10Request)
      .Bind("LoadCertificates", LoadCertificates)
      .Bind("LoadCertificateWithPrivateKey", LoadCertificateWithPrivateKey)
      .Bind("GetCertificateInformation", GetCertificateInformation)
      .Bind("GetCACertificates", GetCACertificates)
      .Bind("LoadCACertificates", LoadCACertificates)
      .Bind("GetClientCertificateMode", GetClientCertificateMode)
      .Bind("SetClientCertificateMode", SetClientCertificateMode);
}

}  // namespace onvifgw::services::device

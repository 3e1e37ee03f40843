#include "services/device_security/ip_address_filter_setting.h"

#include <google/protobuf/unknown_field_set.h>

#include <boost/asio/ip/address.hpp>

#include "services/device_security/stored_form.h"

namespace onvifgw::services {
namespace {

namespace tt = ::onvifgw::onvif::tt;

// Binary values of the first releases carried the type as a string in
// field 1, which the generated message sees as an unknown field.
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

std::shared_ptr<const security::IpFilter> Build(const tt::IPAddressFilter& f) {
  if (f.ipv4address_size() == 0 && f.ipv6address_size() == 0) return nullptr;  // no filter
  std::vector<security::IpPrefix> prefixes;
  for (const auto& a : f.ipv4address()) {
    if (auto p = security::ParseIpv4Prefix(a.address(), a.prefixlength())) prefixes.push_back(*p);
  }
  for (const auto& a : f.ipv6address()) {
    if (auto p = security::ParseIpv6Prefix(a.address(), a.prefixlength())) prefixes.push_back(*p);
  }
  return std::make_shared<const security::IpFilter>(f.type() == tt::IPAddressFilterType_Deny
                                                        ? security::IpFilter::Type::kDeny
                                                        : security::IpFilter::Type::kAllow,
                                                    std::move(prefixes));
}

tt::IPAddressFilter AllowAll() {
  tt::IPAddressFilter f;
  f.set_type(tt::IPAddressFilterType_Allow);
  return f;
}

}  // namespace

IpAddressFilterSetting::IpAddressFilterSetting() : IpAddressFilterSetting(AllowAll()) {}

IpAddressFilterSetting::IpAddressFilterSetting(tt::IPAddressFilter filter)
    : filter_(std::move(filter)), rules_(Build(filter_)) {
  if (!filter_.has_type()) filter_.set_type(tt::IPAddressFilterType_Allow);
}

Expected<IpAddressFilterSetting, std::string> IpAddressFilterSetting::Decode(
    const std::optional<std::string>& stored) {
  if (!stored) return IpAddressFilterSetting();
  tt::IPAddressFilter f;
  if (!RestoreStored(*stored, &f))
    return MakeUnexpected(std::string("stored IP filter is unreadable"));
  RestoreLegacyFilterType(&f);
  return IpAddressFilterSetting(std::move(f));
}

std::string IpAddressFilterSetting::Encode() const { return StoredForm(filter_); }

bool IpAddressFilterSetting::Admits(const std::shared_ptr<const security::IpFilter>& rules,
                                    const std::string& remote_address) {
  if (!rules) return true;
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(remote_address, ec);
  return !ec && rules->Permits(addr);
}

}  // namespace onvifgw::services

#pragma once
// The device's IP address filter (Set/Add/RemoveIPAddressFilter) as clients
// set it and as the accept path applies it: the tt:IPAddressFilter, stored as
// the schema's XML, and the prefixes built from it once. A value type.

#include <memory>
#include <optional>
#include <string>

#include "core/expected.h"
#include "onvif/generated/tt.pb.h"
#include "security/ip_filter.h"

namespace onvifgw::services {

class IpAddressFilterSetting {
 public:
  static constexpr const char* kKey = "ip_filter";

  /// `Allow` with no prefix: every address is admitted.
  IpAddressFilterSetting();
  explicit IpAddressFilterSetting(onvif::tt::IPAddressFilter filter);

  /// As stored (nullopt: the default). Also reads what the first releases
  /// stored: binary protobuf with the type as a string.
  static Expected<IpAddressFilterSetting, std::string> Decode(
      const std::optional<std::string>& stored);
  std::string Encode() const;

  const onvif::tt::IPAddressFilter& filter() const { return filter_; }
  /// The prefixes to apply; nullptr when the filter has none (admit all).
  std::shared_ptr<const security::IpFilter> rules() const { return rules_; }

  /// Whether `rules` admit `remote_address` (textual IPv4 or IPv6; an
  /// unparsable one is not admitted by a filter).
  static bool Admits(const std::shared_ptr<const security::IpFilter>& rules,
                     const std::string& remote_address);

 private:
  onvif::tt::IPAddressFilter filter_;
  std::shared_ptr<const security::IpFilter> rules_;
};

}  // namespace onvifgw::services

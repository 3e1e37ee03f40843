#include "soap/namespaces.h"

#include <array>
#include <utility>

namespace onvifgw::soap::ns {

std::optional<std::string_view> UriForPrefix(std::string_view prefix) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kTable{{
      {"env", kSoap12},
      {"wsa", kWsa},
      {"d", kDiscovery},
      {"tt", kTt},
      {"tds", kTds},
      {"ter", kTer},
      {"dn", kDn},
      {"trt", kTrt},
      {"tr2", kTr2},
      {"tev", kTev},
      {"tptz", kTptz},
      {"timg", kTimg},
      {"tmd", kTmd},
      {"wsse", kWsse},
      {"wsu", kWsu},
      {"wsnt", kWsnt},
      {"wstop", kWstop},
      {"tns1", kTns1},
      {"xs", kXs},
  }};
  for (const auto& [p, uri] : kTable) {
    if (p == prefix) return uri;
  }
  return std::nullopt;
}

}  // namespace onvifgw::soap::ns

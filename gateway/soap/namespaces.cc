#include "soap/namespaces.h"

#include <array>
#include <utility>

namespace onvifgw::soap::ns {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 23> kTable{{
    {"env", kSoap12},   {"wsa", kWsa},     {"d", kDiscovery}, {"tt", kTt},     {"tds", kTds},
    {"ter", kTer},      {"dn", kDn},       {"trt", kTrt},     {"tr2", kTr2},   {"tev", kTev},
    {"tptz", kTptz},    {"timg", kTimg},   {"tmd", kTmd},     {"wsse", kWsse}, {"wsu", kWsu},
    {"wsnt", kWsnt},    {"wstop", kWstop}, {"tns1", kTns1},   {"xs", kXs},     {"wsrf_bf", kWsrfBf},
    {"wsrf_r", kWsrfR}, {"xmime", kXmime}, {"xop", kXop},
}};

}  // namespace

std::optional<std::string_view> UriForPrefix(std::string_view prefix) {
  for (const auto& [p, uri] : kTable) {
    if (p == prefix) return uri;
  }
  return std::nullopt;
}

std::optional<std::string_view> PrefixForUri(std::string_view uri) {
  for (const auto& [p, u] : kTable) {
    if (u == uri) return p;
  }
  return std::nullopt;
}

}  // namespace onvifgw::soap::ns

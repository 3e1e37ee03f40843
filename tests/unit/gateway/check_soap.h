#pragma once
// Runs ../shared/onvif/check-soap on a message. Tests call
// SKIP_WITHOUT_CHECK_SOAP() first: the schema bundle may be absent.

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace onvifgw::testing {

/// The innermost ter: subcode of a SOAP fault ("NoProfile"), or "" if none.
inline std::string InnermostTerSubcode(const std::string& fault_xml) {
  static const std::regex re("<env:Value>ter:([A-Za-z0-9]+)</env:Value>");
  std::string last;
  for (auto it = std::sregex_iterator(fault_xml.begin(), fault_xml.end(), re);
       it != std::sregex_iterator(); ++it) {
    last = (*it)[1];
  }
  return last;
}

inline bool CheckSoapAvailable() { return std::filesystem::exists(ONVIFGW_CHECK_SOAP); }

#define SKIP_WITHOUT_CHECK_SOAP()                                                        \
  do {                                                                                   \
    if (!::onvifgw::testing::CheckSoapAvailable())                                       \
      GTEST_SKIP() << "../shared/onvif/check-soap is absent: schema validation skipped"; \
  } while (0)

/// Empty string when valid; otherwise check-soap's report.
inline std::string CheckSoap(const std::string& xml) {
  static int counter = 0;
  const auto path =
      std::filesystem::temp_directory_path() /
      ("onvifgw-check-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".xml");
  {
    std::ofstream f(path, std::ios::binary);
    f << xml;
  }
  const std::string cmd =
      "/usr/bin/python3 '" + std::string(ONVIFGW_CHECK_SOAP) + "' -q '" + path.string() + "' 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return "cannot run check-soap";
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  const int rc = ::pclose(p);
  std::filesystem::remove(path);
  if (rc == 0) return "";
  return out.empty() ? "check-soap failed" : out;
}

}  // namespace onvifgw::testing

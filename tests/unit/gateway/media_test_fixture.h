#pragma once
// What the Media/Media2 service tests share: a virtual device with a fake
// camera (one source, a configurable main stream and a fixed JPEG sub
// stream), SOAP calls through the real endpoint, every reply validated with
// check-soap when it is present, and small XML probes.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "fake_camera_adapter.h"
#include "services/media/media_profile_store.h"
#include "services/media/snapshot_endpoint.h"
#include "soap_test_client.h"

namespace onvifgw::services {

using onvifgw::testing::FakeCameraAdapter;

inline constexpr const char* kMedia = "/onvif/media_service";
inline constexpr const char* kMedia2 = "/onvif/media2_service";

// Every element named `name` (with its content) in `xml`, in order.
inline std::vector<std::string> Elements(const std::string& xml, const std::string& name) {
  std::vector<std::string> out;
  const std::regex re("<" + name + "[ >][\\s\\S]*?</" + name + ">");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back(it->str());
  }
  return out;
}

// An element's attributes and content, without its name: elements of
// different names (Profiles/Profile, Configurations/Configuration) compare.
inline std::string Unnamed(const std::string& element) {
  const std::size_t start = element.find_first_of(" >");
  return element.substr(start, element.rfind("</") - start);
}

inline std::vector<std::string> Tokens(const std::string& xml, const std::string& element) {
  std::vector<std::string> out;
  const std::regex re("<" + element + " token=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

class MediaServiceTest : public ::testing::Test {
 protected:
  MediaServiceTest() : adapter_("cam-1"), media_("front", nullptr) {
    adapter_.AddVideo();
    device_.config.id = "front";
    device_.config.camera = "cam-1";
    device_.identity = {"urn:uuid:0a4f9f61-4c7e-4d8a-9d9e-2f1a3b4c5d6e", "GW0011223344",
                        "02:11:22:33:44:55", "GW-A1B2C3D4"};
    device_.adapter = &adapter_;
    device_.clock = &clock_;
    device_.media = &media_;
    device_.snapshots = &snapshots_;
  }

  SoapReply Call(const std::string& body, const char* path = kMedia) {
    return soap_.Call(body, path);
  }
  std::string Ok(const std::string& body, const char* path = kMedia) {
    return soap_.Ok(body, path);
  }
  // The fault's specific subcode ("NoProfile"), or "" if not a fault.
  std::string FaultOf(const std::string& body, const char* path = kMedia) {
    return soap_.FaultOf(body, path);
  }

  FakeCameraAdapter adapter_;
  media::MediaProfileStore media_;
  media::SnapshotCache snapshots_{std::chrono::milliseconds(1000)};
  ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  VirtualDevice device_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

}  // namespace onvifgw::services

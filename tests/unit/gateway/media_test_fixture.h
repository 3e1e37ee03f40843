#pragma once
// What the Media/Media2 service tests share: a virtual device with a fake
// camera (one source, a configurable main stream and a fixed JPEG sub
// stream), SOAP calls through the real endpoint, every reply validated with
// check-soap when it is present, and small XML probes.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "check_soap.h"
#include "core/clock.h"
#include "fake_camera_adapter.h"
#include "served_registry.h"
#include "services/media/media_profile_store.h"
#include "services/media/snapshot_endpoint.h"
#include "services/soap_endpoint.h"

namespace onvifgw::services {

using onvifgw::testing::CheckSoap;
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
  MediaServiceTest()
      : endpoint_(onvifgw::testing::ServedRegistry(), soap::XmlLimits{}),
        adapter_("cam-1"),
        media_("front", nullptr) {
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
    const std::string xml =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\" "
        "xmlns:tr2=\"http://www.onvif.org/ver20/media/wsdl\" "
        "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "
        "xmlns:tt=\"http://www.onvif.org/ver10/schema\"><s:Body>" +
        body + "</s:Body></s:Envelope>";
    RequestContext ctx{device_, "http", "192.0.2.10:8080", "192.0.2.10", path,
                       "",      "POST", "192.0.2.99",      std::nullopt};
    SoapReply reply;
    bool called = false;
    endpoint_.Handle(xml, ctx, [&](SoapReply r) {
      reply = std::move(r);
      called = true;
    });
    EXPECT_TRUE(called);
    if (onvifgw::testing::CheckSoapAvailable()) {
      EXPECT_EQ(CheckSoap(reply.body), "") << body;
    }
    return reply;
  }

  std::string Ok(const std::string& body, const char* path = kMedia) {
    SoapReply r = Call(body, path);
    EXPECT_EQ(r.http_status, 200) << body << "\n" << r.body;
    return r.body;
  }

  // The fault's specific subcode ("NoProfile"), or "" if not a fault.
  std::string FaultOf(const std::string& body, const char* path = kMedia) {
    SoapReply r = Call(body, path);
    if (r.http_status == 200) return "";
    return onvifgw::testing::InnermostTerSubcode(r.body);
  }

  SoapEndpoint endpoint_;
  FakeCameraAdapter adapter_;
  media::MediaProfileStore media_;
  media::SnapshotCache snapshots_{std::chrono::milliseconds(1000)};
  ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  VirtualDevice device_;
};

}  // namespace onvifgw::services

// The system log, access log and support information of one device: each
// device sees its own lines (and the gateway's), access lines apart from the
// rest, and the support information names the device without secrets.

#include "services/device/system_information.h"

#include <gtest/gtest.h>

#include "core/log.h"
#include "fake_camera_adapter.h"
#include "soap_test_client.h"

namespace onvifgw::services::device {
namespace {

VirtualDevice Device(const std::string& id) {
  VirtualDevice d;
  d.config.id = id;
  d.config.adapter = "sim";
  d.config.camera = "cam-1";
  d.config.cameras = {"cam-1"};
  d.identity = onvifgw::testing::TestDeviceIdentity();
  return d;
}

TEST(SystemLog, EachDeviceSeesItsOwnLinesAndTheGatewaysAccessApart) {
  const VirtualDevice front = Device("sys-front"), back = Device("sys-back");
  log::WriteAbout(log::Level::kInfo, "device", "sys-front", "front line 1");
  log::WriteAbout(log::Level::kInfo, "device", "sys-back", "back line 1");
  log::WriteAbout(log::Level::kInfo, "access", "sys-front",
                  "'admin' from 192.0.2.1: SetHostname done");
  log::WriteAbout(log::Level::kWarn, "security", "sys-front", "authentication failed for 'x'");
  log::Info("gateway", "gateway line");
  log::Info("adapter:sim", "adapter line");
  log::Info("adapter:other", "other adapter line");
  log::Debug("device", "debug lines are not kept");

  const std::string system = SystemLogText(front, SystemLogKind::kSystem);
  EXPECT_NE(system.find("[device] device sys-front: front line 1\n"), std::string::npos) << system;
  EXPECT_NE(system.find("gateway line"), std::string::npos);
  EXPECT_NE(system.find("[adapter:sim] adapter line"), std::string::npos);
  EXPECT_EQ(system.find("other adapter line"), std::string::npos);
  EXPECT_EQ(system.find("back line 1"), std::string::npos);
  EXPECT_EQ(system.find("SetHostname"), std::string::npos);
  EXPECT_EQ(system.find("debug lines"), std::string::npos);
  // Oldest first.
  EXPECT_LT(system.find("front line 1"), system.find("gateway line"));

  const std::string access = SystemLogText(front, SystemLogKind::kAccess);
  EXPECT_NE(access.find("SetHostname done"), std::string::npos) << access;
  EXPECT_NE(access.find("authentication failed"), std::string::npos);
  EXPECT_EQ(access.find("front line 1"), std::string::npos);
  EXPECT_EQ(SystemLogText(back, SystemLogKind::kAccess).find("SetHostname"), std::string::npos);
}

TEST(SystemLog, KeepsOnlyTheLastLines) {
  const VirtualDevice d = Device("sys-many");
  log::SetLevel(log::Level::kWarn);  // kept in memory, not printed
  for (std::size_t i = 0; i < log::kRecentCapacity + 10; ++i) {
    log::WriteAbout(log::Level::kInfo, "device", "sys-many", "line " + std::to_string(i) + ".");
  }
  log::SetLevel(log::Level::kInfo);
  const std::string text = SystemLogText(d, SystemLogKind::kSystem);
  EXPECT_EQ(text.find("line 0."), std::string::npos);
  EXPECT_NE(text.find("line " + std::to_string(log::kRecentCapacity + 9) + "."), std::string::npos);
}

TEST(SupportInformation, NamesTheDeviceAndItsCameraWithoutSecrets) {
  onvifgw::testing::FakeCameraAdapter adapter("cam-1");
  adapter.AddVideo();
  VirtualDevice d = Device("sys-support");
  d.adapter = &adapter;
  log::WriteAbout(log::Level::kInfo, "device", "sys-support", "support line");
  const std::string text = SupportInformationText(d);
  EXPECT_EQ(text.rfind("ONVIF gateway support information\n", 0), 0u);
  EXPECT_NE(text.find("endpoint reference: urn:uuid:0a4f9f61-4c7e-4d8a-9d9e-2f1a3b4c5d6e"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("camera cam-1 (Fake camera): Fake Cameras FC-1, firmware 1.2.3"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("stream 0/main: 1280x720"), std::string::npos);
  EXPECT_NE(text.find("support line"), std::string::npos);
  // The stream URIs carry the camera's credentials: never shown.
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_EQ(text.find("rtsp://"), std::string::npos);
}

}  // namespace
}  // namespace onvifgw::services::device

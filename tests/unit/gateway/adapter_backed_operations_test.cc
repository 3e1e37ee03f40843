// Device-service operations that reach the camera, tested against a fake
// adapter (no adapter process): what the adapter's facts become in the
// response, what reaches the adapter, and how its errors become faults.
// GetSystemDateAndTime reads the device's clock (a ManualClock here).

#include <gtest/gtest.h>

#include "core/clock.h"
#include "fake_camera_adapter.h"
#include "soap_test_client.h"

namespace onvifgw::services {
namespace {

using onvifgw::testing::FakeCameraAdapter;

class AdapterBackedTest : public ::testing::Test {
 protected:
  AdapterBackedTest() : adapter_("cam-1", {"relay-a"}) {
    device_.config.id = "front";
    device_.config.camera = "cam-1";
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.adapter = &adapter_;
    device_.clock = &clock_;
  }

  SoapReply Call(const std::string& body) { return soap_.Call(body); }

  FakeCameraAdapter adapter_;
  ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  VirtualDevice device_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(AdapterBackedTest, DeviceInformationComesFromTheCameraIdentityFromTheDevice) {
  SoapReply r = Call("<tds:GetDeviceInformation/>");
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_NE(r.body.find("<tds:Manufacturer>Fake Cameras</tds:Manufacturer>"), std::string::npos);
  EXPECT_NE(r.body.find("<tds:FirmwareVersion>1.2.3</tds:FirmwareVersion>"), std::string::npos);
  EXPECT_NE(r.body.find("<tds:SerialNumber>GW0011223344</tds:SerialNumber>"), std::string::npos);
}

TEST_F(AdapterBackedTest, RebootReachesTheCameraAndItsErrorsAreFaults) {
  SoapReply r = Call("<tds:SystemReboot/>");
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_NE(r.body.find("Rebooting in 42 seconds"), std::string::npos);
  EXPECT_EQ(adapter_.calls, std::vector<std::string>{"Reboot cam-1"});
  adapter_.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "camera offline");
  r = Call("<tds:SystemReboot/>");
  EXPECT_EQ(r.http_status, 500);
  adapter_.available_ = false;
  r = Call("<tds:SystemReboot/>");
  EXPECT_EQ(r.http_status, 500);
  EXPECT_EQ(adapter_.calls.size(), 2u) << "an unavailable adapter is not called";
}

TEST_F(AdapterBackedTest, RelayOutputsMapBothWays) {
  SoapReply r = Call("<tds:GetRelayOutputs/>");
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_NE(r.body.find("token=\"relay-a\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<tt:Mode>Bistable</tt:Mode>"), std::string::npos);
  r = Call(
      "<tds:SetRelayOutputSettings><tds:RelayOutputToken>relay-a</tds:RelayOutputToken>"
      "<tds:Properties><tt:Mode>Monostable</tt:Mode><tt:DelayTime>PT1.5S</tt:DelayTime>"
      "<tt:IdleState>closed</tt:IdleState></tds:Properties></tds:SetRelayOutputSettings>");
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_EQ(adapter_.calls.back(), "SetRelayOutputSettings relay-a mode=" +
                                       std::to_string(adapters::v1::RELAY_MODE_MONOSTABLE) +
                                       " delay_ms=1500");
  r = Call(
      "<tds:SetRelayOutputState><tds:RelayOutputToken>relay-a</tds:RelayOutputToken>"
      "<tds:LogicalState>active</tds:LogicalState></tds:SetRelayOutputState>");
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_EQ(adapter_.calls.back(), "SetRelayOutputState relay-a active");
}

TEST_F(AdapterBackedTest, BadRelayRequestsNeverReachTheCamera) {
  const std::size_t before = adapter_.calls.size();
  // An unknown token: refused from the cached ids.
  SoapReply r = Call(
      "<tds:SetRelayOutputState><tds:RelayOutputToken>nope</tds:RelayOutputToken>"
      "<tds:LogicalState>active</tds:LogicalState></tds:SetRelayOutputState>");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_NE(r.body.find("ter:RelayToken"), std::string::npos) << r.body;
  // A value outside the schema's enumeration: refused by the codec.
  r = Call(
      "<tds:SetRelayOutputState><tds:RelayOutputToken>relay-a</tds:RelayOutputToken>"
      "<tds:LogicalState>on</tds:LogicalState></tds:SetRelayOutputState>");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_NE(r.body.find("ter:InvalidArgVal"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("SetRelayOutputState/LogicalState"), std::string::npos) << r.body;
  // A missing required element.
  r = Call(
      "<tds:SetRelayOutputState><tds:RelayOutputToken>relay-a</tds:RelayOutputToken>"
      "</tds:SetRelayOutputState>");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_NE(r.body.find("ter:InvalidArgs"), std::string::npos) << r.body;
  // A duration that is not one.
  r = Call(
      "<tds:SetRelayOutputSettings><tds:RelayOutputToken>relay-a</tds:RelayOutputToken>"
      "<tds:Properties><tt:Mode>Monostable</tt:Mode><tt:DelayTime>1.5</tt:DelayTime>"
      "<tt:IdleState>closed</tt:IdleState></tds:Properties></tds:SetRelayOutputSettings>");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(adapter_.calls.size(), before) << "nothing reached the adapter";
}

TEST_F(AdapterBackedTest, AuxiliaryCommandsAreTheCamerasAndReachIt) {
  const std::string ir_on =
      "<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>tt:IRLamp|On</tds:AuxiliaryCommand>"
      "</tds:SendAuxiliaryCommand>";
  // A camera without the capability: none offered, none sent.
  EXPECT_EQ(soap_.FaultOf(ir_on), "ActionNotSupported");
  EXPECT_EQ(soap_.Ok("<tds:GetServiceCapabilities/>").find("AuxiliaryCommands"), std::string::npos);

  adapter_.SetCapability([](adapters::v1::Capabilities& c) { c.set_auxiliary_commands(true); });
  adapter_.SetAuxiliaryCommands({"tt:IRLamp|On", "tt:IRLamp|Off", "bad command"});
  const std::string caps = soap_.Ok("<tds:GetServiceCapabilities/>");
  // Listed as the schema's attribute list allows: one with a space is left out.
  EXPECT_NE(caps.find("AuxiliaryCommands=\"tt:IRLamp|On tt:IRLamp|Off\""), std::string::npos)
      << caps;
  EXPECT_NE(soap_.Ok(ir_on).find(
                "<tds:AuxiliaryCommandResponse>done tt:IRLamp|On</tds:AuxiliaryCommandResponse>"),
            std::string::npos);
  EXPECT_EQ(adapter_.calls.back(), "SendAuxiliaryCommand cam-1 tt:IRLamp|On");
  const std::size_t calls = adapter_.calls.size();
  EXPECT_EQ(soap_.FaultOf("<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>tt:Wiper|On"
                          "</tds:AuxiliaryCommand></tds:SendAuxiliaryCommand>"),
            "AuxiliaryDataNotSupported");
  EXPECT_EQ(adapter_.calls.size(), calls);  // refused before the camera
  // The camera refusing it after all, or being unreachable: faults.
  adapter_.status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no");
  EXPECT_EQ(soap_.FaultOf(ir_on), "AuxiliaryDataNotSupported");
  adapter_.status = grpc::Status::OK;
  adapter_.available_ = false;
  EXPECT_EQ(soap_.FaultOf(ir_on), "Action");
}

TEST_F(AdapterBackedTest, SystemDateAndTimeIsTheDeviceClock) {
  SoapReply r = Call("<tds:GetSystemDateAndTime/>");
  ASSERT_EQ(r.http_status, 200);
  // 1767225600 = 2026-01-01T00:00:00Z
  EXPECT_NE(r.body.find("<tt:UTCDateTime><tt:Time><tt:Hour>0</tt:Hour><tt:Minute>0</tt:Minute>"
                        "<tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>2026</tt:Year>"
                        "<tt:Month>1</tt:Month><tt:Day>1</tt:Day></tt:Date></tt:UTCDateTime>"),
            std::string::npos)
      << r.body;
  clock_.Advance(std::chrono::hours(25) + std::chrono::seconds(61));
  r = Call("<tds:GetSystemDateAndTime/>");
  EXPECT_NE(r.body.find("<tt:Hour>1</tt:Hour><tt:Minute>1</tt:Minute><tt:Second>1</tt:Second>"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("<tt:Day>2</tt:Day>"), std::string::npos);
}

}  // namespace
}  // namespace onvifgw::services

// The DeviceIO service against a fake camera: video and audio sources with
// the Media tokens, relay outputs shared with the Device service (options,
// settings, state), digital inputs with their idle states (all or nothing),
// no outputs and no serial ports, and the capabilities that say so. Every
// reply is validated with check-soap when it is present.

#include <gtest/gtest.h>

#include "media_test_fixture.h"

namespace onvifgw::services {
namespace {

inline constexpr const char* kDeviceIo = "/onvif/deviceio_service";
inline constexpr const char* kDevice = "/onvif/device_service";

class DeviceIoServiceTest : public MediaServiceTest {
 protected:
  DeviceIoServiceTest() {
    adapter_.AddRelays({"relay-1", "relay-2"});
    adapter_.AddDigitalInputs();
  }

  std::string IoOk(const std::string& body) { return Ok(body, kDeviceIo); }
  std::string IoFault(const std::string& body) { return FaultOf(body, kDeviceIo); }
  std::string LastCall() const { return adapter_.calls.empty() ? "" : adapter_.calls.back(); }
};

TEST_F(DeviceIoServiceTest, CapabilitiesCountWhatTheDeviceHas) {
  std::string r = IoOk("<tmd:GetServiceCapabilities/>");
  for (const char* attribute : {"VideoSources=\"1\"", "VideoOutputs=\"0\"", "AudioSources=\"0\"",
                                "AudioOutputs=\"0\"", "RelayOutputs=\"2\"", "SerialPorts=\"0\"",
                                "DigitalInputs=\"2\"", "DigitalInputOptions=\"true\""}) {
    EXPECT_NE(r.find(attribute), std::string::npos) << attribute << "\n" << r;
  }
  r = Ok("<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>", kDevice);
  EXPECT_NE(r.find("<tt:DeviceIO><tt:XAddr>http://192.0.2.10:8080/onvif/deviceio_service"
                   "</tt:XAddr><tt:VideoSources>1</tt:VideoSources>"),
            std::string::npos)
      << r;
  r = Ok("<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>",
         kDevice);
  EXPECT_NE(r.find("http://www.onvif.org/ver10/deviceIO/wsdl"), std::string::npos) << r;
}

TEST_F(DeviceIoServiceTest, SourcesAreTheMediaServicesTokens) {
  std::string r = IoOk("<tmd:GetVideoSources/>");
  EXPECT_NE(r.find("<tmd:Token>VideoSource_0</tmd:Token>"), std::string::npos) << r;
  EXPECT_NE(Ok("<trt:GetVideoSources/>").find("token=\"VideoSource_0\""), std::string::npos);
  r = IoOk("<tmd:GetAudioSources/>");
  EXPECT_EQ(r.find("<tmd:Token>"), std::string::npos) << r;
}

TEST_F(DeviceIoServiceTest, RelaysAreTheDeviceServicesRelays) {
  std::string r = IoOk("<tmd:GetRelayOutputOptions/>");
  EXPECT_NE(r.find("token=\"relay-1\""), std::string::npos) << r;
  EXPECT_NE(r.find("<tmd:Mode>Monostable</tmd:Mode><tmd:Mode>Bistable</tmd:Mode>"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("<tmd:DelayTimes>0.001 3600</tmd:DelayTimes>"), std::string::npos) << r;
  r = IoOk(
      "<tmd:GetRelayOutputOptions><tmd:RelayOutputToken>relay-2</tmd:RelayOutputToken>"
      "</tmd:GetRelayOutputOptions>");
  EXPECT_EQ(r.find("relay-1"), std::string::npos) << r;
  EXPECT_EQ(IoFault("<tmd:GetRelayOutputOptions><tmd:RelayOutputToken>nope</tmd:RelayOutputToken>"
                    "</tmd:GetRelayOutputOptions>"),
            "RelayToken");

  r = IoOk("<tds:GetRelayOutputs/>");
  EXPECT_NE(r.find("<tds:RelayOutputs token=\"relay-1\">"), std::string::npos) << r;
  IoOk(
      "<tmd:SetRelayOutputSettings><tmd:RelayOutput token=\"relay-1\"><tt:Properties>"
      "<tt:Mode>Monostable</tt:Mode><tt:DelayTime>PT2S</tt:DelayTime>"
      "<tt:IdleState>closed</tt:IdleState></tt:Properties></tmd:RelayOutput>"
      "</tmd:SetRelayOutputSettings>");
  EXPECT_EQ(LastCall(), "SetRelayOutputSettings relay-1 mode=2 delay_ms=2000");
  IoOk(
      "<tds:SetRelayOutputState><tds:RelayOutputToken>relay-2</tds:RelayOutputToken>"
      "<tds:LogicalState>active</tds:LogicalState></tds:SetRelayOutputState>");
  EXPECT_EQ(LastCall(), "SetRelayOutputState relay-2 active");
  EXPECT_EQ(IoFault("<tmd:SetRelayOutputSettings><tmd:RelayOutput token=\"nope\"><tt:Properties>"
                    "<tt:Mode>Bistable</tt:Mode><tt:DelayTime>PT0S</tt:DelayTime>"
                    "<tt:IdleState>open</tt:IdleState></tt:Properties></tmd:RelayOutput>"
                    "</tmd:SetRelayOutputSettings>"),
            "RelayToken");
}

TEST_F(DeviceIoServiceTest, DigitalInputsAndTheirIdleStates) {
  std::string r = IoOk("<tmd:GetDigitalInputs/>");
  EXPECT_NE(r.find("<tmd:DigitalInputs token=\"in-1\" IdleState=\"open\"/>"), std::string::npos)
      << r;
  // An input that does not say its idle state is closed, the ONVIF default.
  EXPECT_NE(r.find("<tmd:DigitalInputs token=\"in-2\" IdleState=\"closed\"/>"), std::string::npos)
      << r;
  r = IoOk(
      "<tmd:GetDigitalInputConfigurationOptions><tmd:Token>in-1</tmd:Token>"
      "</tmd:GetDigitalInputConfigurationOptions>");
  EXPECT_NE(r.find("<tmd:IdleState>closed</tmd:IdleState><tmd:IdleState>open</tmd:IdleState>"),
            std::string::npos)
      << r;
  r = IoOk(
      "<tmd:GetDigitalInputConfigurationOptions><tmd:Token>in-2</tmd:Token>"
      "</tmd:GetDigitalInputConfigurationOptions>");
  EXPECT_EQ(r.find("open"), std::string::npos) << r;
  EXPECT_EQ(IoFault("<tmd:GetDigitalInputConfigurationOptions><tmd:Token>x</tmd:Token>"
                    "</tmd:GetDigitalInputConfigurationOptions>"),
            "NoConfig");

  IoOk(
      "<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token=\"in-1\" IdleState=\"closed\"/>"
      "<tmd:DigitalInputs token=\"in-2\" "
      "IdleState=\"closed\"/></tmd:SetDigitalInputConfigurations>");
  EXPECT_EQ(LastCall(), "SetDigitalInputSettings in-1 2");
  EXPECT_NE(IoOk("<tmd:GetDigitalInputs/>")
                .find("<tmd:DigitalInputs token=\"in-1\" IdleState=\"closed\"/>"),
            std::string::npos);

  // All or nothing: a fixed input in the list stops the whole change.
  const size_t calls = adapter_.calls.size();
  EXPECT_EQ(IoFault("<tmd:SetDigitalInputConfigurations>"
                    "<tmd:DigitalInputs token=\"in-1\" IdleState=\"open\"/>"
                    "<tmd:DigitalInputs token=\"in-2\" IdleState=\"open\"/>"
                    "</tmd:SetDigitalInputConfigurations>"),
            "SettingsInvalid");
  EXPECT_EQ(IoFault("<tmd:SetDigitalInputConfigurations>"
                    "<tmd:DigitalInputs token=\"in-1\" IdleState=\"open\"/>"
                    "<tmd:DigitalInputs token=\"zz\" IdleState=\"open\"/>"
                    "</tmd:SetDigitalInputConfigurations>"),
            "NoConfig");
  EXPECT_EQ(adapter_.calls.size(), calls);
}

TEST_F(DeviceIoServiceTest, NoOutputsAndNoSerialPorts) {
  EXPECT_EQ(IoOk("<tmd:GetVideoOutputs/>").find("VideoOutputs "), std::string::npos);
  EXPECT_EQ(IoOk("<tmd:GetAudioOutputs/>").find("<tmd:Token>"), std::string::npos);
  EXPECT_EQ(IoOk("<tmd:GetSerialPorts/>").find("SerialPort "), std::string::npos);
  EXPECT_EQ(IoFault("<tmd:GetVideoOutputConfiguration><tmd:VideoOutputToken>v"
                    "</tmd:VideoOutputToken></tmd:GetVideoOutputConfiguration>"),
            "NoVideoOutput");
  EXPECT_EQ(IoFault("<tmd:GetAudioOutputConfigurationOptions><tmd:AudioOutputToken>a"
                    "</tmd:AudioOutputToken></tmd:GetAudioOutputConfigurationOptions>"),
            "NoAudioOutput");
  EXPECT_EQ(IoFault("<tmd:GetSerialPortConfiguration><tmd:SerialPortToken>s"
                    "</tmd:SerialPortToken></tmd:GetSerialPortConfiguration>"),
            "InvalidSerialPort");
  EXPECT_EQ(IoFault("<tmd:GetVideoSourceConfiguration><tmd:VideoSourceToken>VideoSource_0"
                    "</tmd:VideoSourceToken></tmd:GetVideoSourceConfiguration>"),
            "ActionNotSupported");
}

class CameraWithoutIoTest : public MediaServiceTest {};

TEST_F(CameraWithoutIoTest, NoRelaysNoInputs) {
  std::string r = Ok("<tmd:GetServiceCapabilities/>", kDeviceIo);
  EXPECT_NE(r.find("RelayOutputs=\"0\""), std::string::npos) << r;
  EXPECT_NE(r.find("DigitalInputs=\"0\""), std::string::npos) << r;
  EXPECT_EQ(FaultOf("<tmd:GetDigitalInputs/>", kDeviceIo), "ActionNotSupported");
  EXPECT_EQ(FaultOf("<tds:GetRelayOutputs/>", kDeviceIo), "ActionNotSupported");
  EXPECT_EQ(Ok("<tmd:GetRelayOutputOptions/>", kDeviceIo).find("token="), std::string::npos);
}

}  // namespace
}  // namespace onvifgw::services

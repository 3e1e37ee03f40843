// Configuration validation: each mistake is reported with line, column and a
// reason that names the problem.

#include "config/config_loader.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace onvifgw::config {
namespace {

const char* kValid = R"(state_dir: /tmp/x
adapters:
  - id: sim
    exec: [onvif-adapter-simulated, --verbose]
    config: {motion_interval_ms: 100}
  - id: remote
    endpoint: unix:/run/adapter.sock
devices:
  - id: a
    name: Front door
    location: [country/fr, city/paris]
    port: 8080
    adapter: sim
    camera: cam-1
  - id: b
    port: 8081
    adapter: remote
    camera: x
    mac: 02:00:5e:10:00:01
)";

ConfigError ErrorOf(const std::string& yaml) {
  auto r = ParseConfig(yaml, "gw.yaml");
  EXPECT_FALSE(r.has_value()) << "accepted:\n" << yaml;
  return r ? ConfigError{} : r.error();
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

TEST(ConfigLoader, ValidConfigIsTyped) {
  auto r = ParseConfig(kValid, "/etc/gw/gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->state_dir, "/tmp/x");
  ASSERT_EQ(r->adapters.size(), 2u);
  EXPECT_EQ(r->adapters[0].exec.size(), 2u);
  EXPECT_NE(r->adapters[0].section_yaml.find("motion_interval_ms"), std::string::npos);
  EXPECT_EQ(r->adapters[1].endpoint, "unix:/run/adapter.sock");
  ASSERT_EQ(r->devices.size(), 2u);
  EXPECT_EQ(r->devices[0].name, "Front door");
  EXPECT_EQ(r->devices[0].locations.size(), 2u);
  EXPECT_EQ(r->devices[1].name, "b");  // defaults to the id
  EXPECT_EQ(r->devices[1].mac, "02:00:5e:10:00:01");
  EXPECT_TRUE(r->discovery.enabled);
}

TEST(ConfigLoader, RelativeStateDirIsRelativeToTheFile) {
  auto r = ParseConfig(Replace(kValid, "state_dir: /tmp/x", "state_dir: state"), "/etc/gw/gw.yaml");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->state_dir, "/etc/gw/state");
}

TEST(ConfigLoader, UnknownKeyNamesKeyLineAndColumn) {
  ConfigError e = ErrorOf(Replace(kValid, "    name: Front door", "    nmae: Front door"));
  EXPECT_EQ(e.file, "gw.yaml");
  EXPECT_EQ(e.line, 10);
  EXPECT_EQ(e.column, 5);
  EXPECT_NE(e.reason.find("unknown key 'nmae'"), std::string::npos) << e.reason;
  EXPECT_EQ(e.ToString().rfind("gw.yaml:10:5: unknown key", 0), 0u) << e.ToString();
}

TEST(ConfigLoader, WrongTypeIsReported) {
  ConfigError e = ErrorOf(Replace(kValid, "port: 8080", "port: eighty"));
  EXPECT_EQ(e.line, 12);
  EXPECT_NE(e.reason.find("port must be an integer"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, PortOutOfRange) {
  ConfigError e = ErrorOf(Replace(kValid, "port: 8080", "port: 70000"));
  EXPECT_NE(e.reason.find("between 1 and 65535"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, DuplicatePort) {
  ConfigError e = ErrorOf(Replace(kValid, "port: 8081", "port: 8080"));
  EXPECT_EQ(e.line, 16);
  EXPECT_NE(e.reason.find("port 8080 is already used"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, DuplicateDeviceId) {
  ConfigError e = ErrorOf(Replace(kValid, "  - id: b", "  - id: a"));
  EXPECT_EQ(e.line, 15);
  EXPECT_NE(e.reason.find("duplicate device id 'a'"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, DuplicateAdapterId) {
  ConfigError e = ErrorOf(Replace(kValid, "  - id: remote", "  - id: sim"));
  EXPECT_NE(e.reason.find("duplicate adapter id 'sim'"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, UnknownAdapter) {
  ConfigError e = ErrorOf(Replace(kValid, "adapter: remote", "adapter: nowhere"));
  EXPECT_EQ(e.line, 17);
  EXPECT_EQ(e.column, 14);
  EXPECT_NE(e.reason.find("unknown adapter 'nowhere'"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, AdapterNeedsExecOrEndpoint) {
  ConfigError e = ErrorOf(Replace(kValid, "    endpoint: unix:/run/adapter.sock\n", ""));
  EXPECT_NE(e.reason.find("needs 'exec'"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, BadMac) {
  ConfigError e = ErrorOf(Replace(kValid, "02:00:5e:10:00:01", "02:00:5e:10:00"));
  EXPECT_NE(e.reason.find("mac must look like"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, SeveralCamerasMakeAnEncoderDevice) {
  auto r = ParseConfig(Replace(kValid, "    camera: x\n", "    camera: [ch-1, ch-2]\n"), "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->devices[1].camera, "ch-1");
  EXPECT_EQ(r->devices[1].cameras, (std::vector<std::string>{"ch-1", "ch-2"}));
  EXPECT_EQ(r->devices[0].cameras, std::vector<std::string>{"cam-1"});
  EXPECT_FALSE(r->devices[0].stream_uri_credentials);
  ConfigError e = ErrorOf(Replace(kValid, "    camera: x\n", "    camera: [ch-1, ch-1]\n"));
  EXPECT_NE(e.reason.find("camera ch-1 is listed twice"), std::string::npos) << e.reason;
  e = ErrorOf(Replace(kValid, "    camera: x\n", "    camera: []\n"));
  EXPECT_NE(e.reason.find("at least one camera"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, NetworkConfigIsStoredOrRefused) {
  auto r = ParseConfig(kValid, "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_TRUE(r->devices[0].network_config_stored);
  r = ParseConfig(Replace(kValid, "    camera: x\n", "    camera: x\n    network_config: refuse\n"),
                  "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_FALSE(r->devices[1].network_config_stored);
  ConfigError e =
      ErrorOf(Replace(kValid, "    camera: x\n", "    camera: x\n    network_config: maybe\n"));
  EXPECT_NE(e.reason.find("network_config must be 'store' or 'refuse'"), std::string::npos)
      << e.reason;
}

TEST(ConfigLoader, HttpAndEventLimitsAreReadWithinTheirRanges) {
  const std::string with =
      std::string(
          "http:\n  max_upload_bytes: 1048576\nevents:\n  max_subscriptions: 8\n"
          "  notify_attempts: 5\n  notify_timeout_ms: 2500\n") +
      kValid;
  auto r = ParseConfig(with, "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->http.max_upload_bytes, 1048576u);
  EXPECT_EQ(r->events.max_subscriptions, 8u);
  EXPECT_EQ(r->events.notify_attempts, 5);
  EXPECT_EQ(r->events.notify_timeout.count(), 2500);
  // The defaults without the sections.
  r = ParseConfig(kValid, "gw.yaml");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->http.max_upload_bytes, 64u << 20);
  EXPECT_EQ(r->events.max_subscriptions, 64u);

  ConfigError e = ErrorOf(std::string("http:\n  max_upload_bytes: 10\n") + kValid);
  EXPECT_EQ(e.line, 2);
  EXPECT_NE(e.reason.find("max_upload_bytes"), std::string::npos) << e.reason;
  e = ErrorOf(std::string("events:\n  max_subscriptions: 0\n") + kValid);
  EXPECT_NE(e.reason.find("max_subscriptions"), std::string::npos) << e.reason;
  e = ErrorOf(std::string("events:\n  notify_attempts: 101\n") + kValid);
  EXPECT_NE(e.reason.find("notify_attempts"), std::string::npos) << e.reason;
  e = ErrorOf(std::string("events:\n  pull_timeout_ms: 5\n") + kValid);
  EXPECT_EQ(e.line, 2);
  EXPECT_NE(e.reason.find("pull_timeout_ms"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, StreamsAreRelayedOnTheirOwnPortOrPassedThrough) {
  auto r = ParseConfig(kValid, "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_TRUE(r->devices[0].stream_relay);
  EXPECT_EQ(r->devices[0].rtsp_port, 0);  // a free port
  r = ParseConfig(Replace(kValid, "    camera: x\n", "    camera: x\n    rtsp_port: 8554\n"),
                  "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->devices[1].rtsp_port, 8554);
  EXPECT_EQ(r->devices[1].stream_linger, std::chrono::seconds(10));  // the default
  r = ParseConfig(Replace(kValid, "    camera: x\n", "    camera: x\n    stream_linger_ms: 0\n"),
                  "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->devices[1].stream_linger, std::chrono::milliseconds(0));
  EXPECT_TRUE(r->devices[1].h264_encoded_streams.empty());
  r = ParseConfig(
      Replace(kValid, "    camera: x\n", "    camera: x\n    encode_h264: [main, sub]\n"),
      "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->devices[1].h264_encoded_streams, (std::vector<std::string>{"main", "sub"}));
  r = ParseConfig(Replace(kValid, "    camera: x\n", "    camera: x\n    streams: passthrough\n"),
                  "gw.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_FALSE(r->devices[1].stream_relay);
  const struct {
    const char* added;
    const char* reason;
  } bad[] = {
      {"    streams: proxy\n", "streams must be 'relay' or 'passthrough'"},
      {"    streams: passthrough\n    rtsp_port: 8554\n", "rtsp_port needs streams: relay"},
      {"    rtsp_port: 8080\n", "rtsp_port 8080 is already used by another device"},
      {"    rtsp_port: 70000\n", "rtsp_port"},
      {"    stream_linger_ms: -1\n", "stream_linger_ms"},
      {"    streams: passthrough\n    encode_h264: main\n", "encode_h264 needs streams: relay"},
      {"    encode_h264: {a: b}\n", "encode_h264 must be a string or a list of strings"},
      {"    streams: passthrough\n    stream_linger_ms: 500\n",
       "stream_linger_ms needs streams: relay"},
  };
  for (const auto& b : bad) {
    ConfigError e =
        ErrorOf(Replace(kValid, "    camera: x\n", std::string("    camera: x\n") + b.added));
    EXPECT_NE(e.reason.find(b.reason), std::string::npos) << b.added << ": " << e.reason;
    EXPECT_GT(e.line, 0) << b.added;
  }
  // Two devices on one RTSP port.
  ConfigError e = ErrorOf(
      Replace(Replace(kValid, "    camera: cam-1\n", "    camera: cam-1\n    rtsp_port: 9000\n"),
              "    camera: x\n", "    camera: x\n    rtsp_port: 9000\n"));
  EXPECT_NE(e.reason.find("rtsp_port 9000 is already used"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, MissingRequiredDeviceKey) {
  ConfigError e = ErrorOf(Replace(kValid, "    camera: x\n", ""));
  EXPECT_NE(e.reason.find("device needs 'camera'"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, YamlSyntaxErrorHasPosition) {
  ConfigError e = ErrorOf("state_dir: [unclosed\nadapters: []\n");
  EXPECT_GT(e.line, 0);
}

TEST(ConfigLoader, EmptyFile) {
  ConfigError e = ErrorOf("");
  EXPECT_NE(e.reason.find("empty"), std::string::npos) << e.reason;
}

TEST(ConfigLoader, MissingFile) {
  auto r = LoadConfigFile("/nonexistent/gw.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().reason.find("cannot open"), std::string::npos);
}

// Every sample configuration that ships with the project loads.
TEST(ConfigLoader, ShippedConfigsLoad) {
  const std::filesystem::path root = std::filesystem::path(__FILE__).parent_path() / "../../..";
  int n = 0;
  for (const char* dir : {"config", "deploy"}) {
    if (!std::filesystem::exists(root / dir)) continue;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root / dir)) {
      if (e.path().extension() != ".yaml") continue;
      auto r = LoadConfigFile(e.path().string());
      EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
      ++n;
    }
  }
  EXPECT_GE(n, 1);
}

}  // namespace
}  // namespace onvifgw::config

namespace onvifgw::config {
namespace {

// Every sample the project ships (config/, deploy/) loads as a gateway config: a sample that
// rots is found here, not by a user. (Each adapter's own tests parse its section too.)
TEST(SampleConfigs, EveryShippedSampleLoads) {
  const std::filesystem::path root = std::filesystem::path(__FILE__).parent_path() / "../../..";
  std::vector<std::filesystem::path> samples;
  for (const char* dir : {"config", "deploy"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
        samples.push_back(entry.path());
      }
    }
  }
  ASSERT_GE(samples.size(), 4u) << "the samples in config/ were not found from " << root;
  for (const auto& sample : samples) {
    auto loaded = LoadConfigFile(sample.string());
    ASSERT_TRUE(loaded.has_value()) << sample << ": " << loaded.error().ToString();
    EXPECT_FALSE(loaded->devices.empty()) << sample;
    EXPECT_FALSE(loaded->adapters.empty()) << sample;
  }
}

}  // namespace
}  // namespace onvifgw::config

// The VAPIX adapter served in-process and called through a real gRPC stub; its camera is a
// ScriptedHttpServer playing an Axis camera (the replies of shared/protocols/axis-vapix.md, and
// the behaviour of tests/fakes/axis_camera.py: all-or-nothing param.cgi updates, the focus lens,
// motiondata.cgi).

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/vapix/vapix_config.h"
#include "adapters/vapix/vapix_service.h"
#include "scripted_http_server.h"

namespace onvifgw::vapix {
namespace {

namespace v1 = onvifgw::adapter::v1;
using onvifgw::testing::HttpReply;
using onvifgw::testing::ReceivedRequest;
using onvifgw::testing::Reply;
using onvifgw::testing::ScriptedHttpServer;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Upper bound for anything the test waits for: only reached when the code under test is broken.
constexpr milliseconds kFailsafe{5000};
constexpr const char* kPassword = "p@ss w:rd";
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0 a tiny picture \xFF\xD9", 20);

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string Text(std::initializer_list<std::string> lines) {
  std::string body;
  for (const std::string& line : lines) body += line + "\r\n";
  return body;
}

Reply Plain(const std::string& body, int status = 200) {
  return {HttpReply(status, body, {"Content-Type: text/plain"})};
}

// An Axis camera as far as the adapter asks it: parameters, the clock, snapshots, ptz.cgi,
// port.cgi, the system CGIs. What a test wants different it scripts with Override.
class FakeAxis {
 public:
  FakeAxis() {
    params_ = {
        {"Brand.Brand", "AXIS"},
        {"Brand.ProdFullName", "AXIS P5635-E PTZ Dome Network Camera"},
        {"Brand.ProdNbr", "P5635-E"},
        {"Brand.ProdShortName", "AXIS P5635-E"},
        {"Properties.API.HTTP.Version", "3"},
        {"Properties.Firmware.Version", "5.51.7"},
        {"Properties.Image.Format", "jpeg,mjpeg,h264"},
        {"Properties.Image.Resolution", "1280x720,1920x1080,640x360,4CIF"},
        {"Properties.PTZ.PTZ", "yes"},
        {"Properties.System.HardwareID", "71D"},
        {"Properties.System.SerialNumber", "ACCC8E012345"},
        {"Image.I0.Stream.FPS", "25"},
        {"ImageSource.NbrOfSources", "1"},
        {"ImageSource.I0.DayNight.IrCutFilter", "auto"},
        {"ImageSource.I0.Sensor.Brightness", "50"},
        {"ImageSource.I0.Sensor.ColorLevel", "50"},
        {"ImageSource.I0.Sensor.Contrast", "50"},
        {"ImageSource.I0.Sensor.Exposure", "auto"},
        {"ImageSource.I0.Sensor.Sharpness", "50"},
        {"IOPort.I0.Configurable", "no"},
        {"IOPort.I0.Direction", "input"},
        {"IOPort.I0.Input.Name", "Door"},
        {"IOPort.I0.Input.Trig", "closed"},
        {"IOPort.I1.Configurable", "no"},
        {"IOPort.I1.Direction", "output"},
        {"IOPort.I1.Output.Active", "closed"},
        {"IOPort.I1.Output.Name", "Siren"},
        {"Time.POSIXTimeZone", "CET-1"},
        {"Time.SyncSource", "NONE"},
    };
  }

  Reply Handle(const ReceivedRequest& request) {
    std::lock_guard lock(mutex_);
    const std::string path = request.target.substr(0, request.target.find('?'));
    const std::string query = request.target.find('?') == std::string::npos
                                  ? ""
                                  : request.target.substr(request.target.find('?') + 1);
    if (auto it = overrides_.find(path); it != overrides_.end()) return it->second(request);
    if (path == "/axis-cgi/param.cgi" && !vapix3_) return Plain("404 Not Found", 404);
    if (path == "/axis-cgi/param.cgi" || path == "/axis-cgi/operator/param.cgi") {
      return Param(Pairs(query));
    }
    if (path == "/axis-cgi/date.cgi" || path == "/axis-cgi/admin/date.cgi") {
      const auto pairs = Pairs(query);
      if (pairs.at("action") == "get") return Plain(Text({date_}));
      return Plain(Text({"OK"}));
    }
    if (path == "/axis-cgi/jpg/image.cgi") {
      return {HttpReply(200, kJpeg, {"Content-Type: image/jpeg"})};
    }
    if (path == "/axis-cgi/com/ptz.cgi") return Ptz(Pairs(query));
    if (path == "/axis-cgi/motion/motiondata.cgi") return MotionData();
    if (path == "/axis-cgi/io/port.cgi") {
      const auto pairs = Pairs(query);
      if (auto check = pairs.find("checkactive"); check != pairs.end()) {
        std::string body;
        for (const std::string& port : Split(check->second, ',')) {
          body +=
              "port" + port + "=" + (active_ports_.contains(port) ? "active" : "inactive") + "\r\n";
        }
        return Plain(body);
      }
      return Plain(Text({"OK"}));
    }
    if (path == "/axis-cgi/restart.cgi" || path == "/axis-cgi/admin/restart.cgi" ||
        path == "/axis-cgi/factorydefault.cgi" || path == "/axis-cgi/firmwareupgrade.cgi") {
      return Plain(Text({"OK"}));
    }
    if (path == "/axis-cgi/systemlog.cgi") {
      return Plain(Text({"2024-03-05T07:08:09.000+01:00 axis [ INFO ] booted",
                         "2024-03-05T07:08:10.000+01:00 axis [ WARNING ] too warm"}));
    }
    return Plain("404 Not Found", 404);
  }

  void Set(const std::string& name, const std::string& value) {
    std::lock_guard lock(mutex_);
    params_[name] = value;
  }
  void Erase(const std::string& prefix) {
    std::lock_guard lock(mutex_);
    std::erase_if(params_, [&](const auto& entry) { return entry.first.starts_with(prefix); });
  }
  void SetVapix3(bool on) {
    std::lock_guard lock(mutex_);
    vapix3_ = on;
    params_["Properties.API.HTTP.Version"] = on ? "3" : "2";
  }
  void SetPortActive(const std::string& port, bool active) {
    std::lock_guard lock(mutex_);
    if (active) {
      active_ports_.insert(port);
    } else {
      active_ports_.erase(port);
    }
  }
  std::string Get(const std::string& name) {
    std::lock_guard lock(mutex_);
    return params_[name];
  }
  // param.cgi refuses updates of `name` (a value this camera does not take).
  void Refuse(const std::string& name) {
    std::lock_guard lock(mutex_);
    refused_.insert(name);
  }
  // Motion in the picture: the level motiondata.cgi reports goes above its threshold.
  void SetMotion(bool on) {
    std::lock_guard lock(mutex_);
    motion_ = on;
  }
  // Ends the motion streams open now (the camera closes them).
  void EndMotionStreams() {
    std::lock_guard lock(mutex_);
    ++motion_generation_;
  }
  void SetPresets(std::set<uint32_t> presets) {
    std::lock_guard lock(mutex_);
    presets_ = std::move(presets);
  }
  // Scripts the replies of `path`; an empty function ends that.
  void Override(const std::string& path, std::function<Reply(const ReceivedRequest&)> reply) {
    std::lock_guard lock(mutex_);
    if (reply) {
      overrides_[path] = std::move(reply);
    } else {
      overrides_.erase(path);
    }
  }

 private:
  static std::vector<std::string> Split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      const size_t end = text.find(separator, start);
      parts.push_back(text.substr(start, end - start));
      if (end == std::string::npos) return parts;
      start = end + 1;
    }
  }
  static std::map<std::string, std::string> Pairs(const std::string& query) {
    std::map<std::string, std::string> pairs;
    for (const std::string& pair : Split(query, '&')) {
      const size_t equals = pair.find('=');
      pairs[pair.substr(0, equals)] = equals == std::string::npos ? "" : pair.substr(equals + 1);
    }
    return pairs;
  }

  static bool IsLevel(const std::string& value) {
    return !value.empty() && value.size() <= 3 &&
           std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
           std::stoi(value) <= 100;
  }

  // Whether the camera takes `value` for `name`, as axis_camera.py checks it.
  bool Takes(const std::string& name, const std::string& value) const {
    if (!params_.contains(name) || refused_.contains(name)) return false;
    if (name.starts_with("Brand.") || name.starts_with("Properties.") ||
        name.ends_with(".Direction") || name.ends_with(".Configurable")) {
      return false;
    }
    if (name.starts_with("ImageSource.I0.Sensor.") && !name.ends_with(".Exposure")) {
      return IsLevel(value);
    }
    if (name.ends_with(".IrCutFilter")) return value == "yes" || value == "no" || value == "auto";
    if (name.ends_with(".Input.Trig") || name.ends_with(".Output.Active")) {
      return value == "closed" || value == "open";
    }
    return true;
  }

  // All or nothing: every refused pair gets its error line, and nothing changes.
  Reply Update(const std::map<std::string, std::string>& pairs) {
    std::string errors;
    for (const auto& [name, value] : pairs) {
      if (name == "action") continue;
      if (!Takes(name, value)) {
        errors += "# Error: Error setting '" + name + "' to '" + value + "'!\r\n";
      }
    }
    if (!errors.empty()) return Plain(errors);
    for (const auto& [name, value] : pairs) {
      if (name != "action") params_[name] = value;
    }
    return Plain(Text({"OK"}));
  }

  Reply MotionData() {
    Reply reply;
    reply.raw = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n";
    const int generation = motion_generation_;
    reply.more = [this, generation]() -> std::string {
      std::lock_guard lock(mutex_);
      if (motion_generation_ != generation) return "";
      return "group=0;level=" + std::string(motion_ ? "75" : "3") + ";threshold=20;\r\n";
    };
    reply.more_interval = milliseconds(50);
    return reply;
  }

  Reply Param(const std::map<std::string, std::string>& pairs) {
    if (pairs.at("action") == "update") return Update(pairs);
    std::string body;
    for (std::string group : Split(pairs.at("group"), ',')) {
      if (group.starts_with("root.")) group = group.substr(5);
      bool found = false;
      for (const auto& [name, value] : params_) {
        if (name == group || name.starts_with(group + ".")) {
          body += "root." + name + "=" + value + "\r\n";
          found = true;
        }
      }
      if (!found) body += "# Error: Error -1 getting param in group '" + group + "'\r\n";
    }
    return Plain(body);
  }

  Reply Ptz(const std::map<std::string, std::string>& pairs) {
    if (auto query = pairs.find("query"); query != pairs.end()) {
      if (query->second == "limits") {
        return Plain(Text({"MinPan=-180", "MaxPan=180", "MinTilt=-90", "MaxTilt=20", "MinZoom=1",
                           "MaxZoom=9999", "MinFocus=1", "MaxFocus=9999"}));
      }
      if (query->second == "position") {
        return Plain(Text({"pan=90", "tilt=-35", "zoom=5000", "focus=" + std::to_string(focus_),
                           std::string("autofocus=") + (autofocus_ ? "on" : "off")}));
      }
      if (query->second == "presetposall") {
        std::vector<std::string> lines = {"Preset Positions for camera 1"};
        for (uint32_t n : presets_) lines.push_back("presetposno" + std::to_string(n) + "=P");
        std::string body;
        for (const std::string& line : lines) body += line + "\r\n";
        return Plain(body);
      }
    }
    // The lens: absolute and relative moves arrive at once; a continuous one runs until stopped.
    if (auto focus = pairs.find("focus"); focus != pairs.end()) {
      const int target = std::stoi(focus->second);
      if (target < 1 || target > 9999) return Plain(Text({"Error: focus out of range"}));
      focus_ = target;
      autofocus_ = false;
    }
    if (auto rfocus = pairs.find("rfocus"); rfocus != pairs.end()) {
      focus_ = std::clamp(focus_ + std::stoi(rfocus->second), 1, 9999);
      autofocus_ = false;
    }
    if (auto continuous = pairs.find("continuousfocusmove"); continuous != pairs.end()) {
      autofocus_ = false;
    }
    if (auto autofocus = pairs.find("autofocus"); autofocus != pairs.end()) {
      if (autofocus->second != "on" && autofocus->second != "off") {
        return Plain(Text({"Error: autofocus must be on or off"}));
      }
      autofocus_ = autofocus->second == "on";
    }
    if (auto go = pairs.find("gotoserverpresetno"); go != pairs.end()) {
      if (!presets_.contains(static_cast<uint32_t>(std::stoul(go->second)))) {
        return Plain(Text({"Error: no preset number " + go->second}));
      }
    }
    return {HttpReply(204, "")};
  }

  std::mutex mutex_;
  std::map<std::string, std::string> params_;
  std::map<std::string, std::function<Reply(const ReceivedRequest&)>> overrides_;
  std::set<std::string> active_ports_;
  std::set<uint32_t> presets_ = {1};
  std::set<std::string> refused_;
  int focus_ = 5000;
  bool autofocus_ = true;
  bool motion_ = false;
  int motion_generation_ = 0;
  std::string date_ = "Jul 24, 2013 19:19:17";
  bool vapix3_ = true;
};

// ------------------------------------------------------------------------------------ Config

constexpr const char* kGoodConfig = R"(cameras:
  - id: cam-1
    label: Entrance
    host: 192.0.2.20
    user: root
    password: secret
  - id: encoder-ch2
    host: "2001:db8::7"
    port: 8080
    user: onvif
    password: "p@ss"
    basic_auth: true
    request_timeout_ms: 1500
    attempts: 3
    channel: 2
    rtsp: no
    rtsp_port: 8554
    hard_factory_default: true
    ptz: yes
    presets: 8
    manufacturer: ACME
    model: Q7404
)";

TEST(VapixConfig, ParsesAGoodConfig) {
  auto config = ParseVapixConfig(YAML::Load(kGoodConfig));
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->cameras.size(), 2U);
  const CameraConfig& one = config->cameras[0];
  EXPECT_EQ(one.label, "Entrance");
  EXPECT_EQ(one.port, 80);
  EXPECT_FALSE(one.basic_auth);
  EXPECT_EQ(one.request_timeout, milliseconds(4000));
  EXPECT_EQ(one.attempts, 2U);
  EXPECT_EQ(one.channel, 1U);
  EXPECT_EQ(one.rtsp, Detect::kAuto);
  EXPECT_EQ(one.rtsp_port, 554);
  EXPECT_FALSE(one.hard_factory_default);
  EXPECT_EQ(one.ptz, Detect::kAuto);
  EXPECT_EQ(one.presets, 32U);
  EXPECT_FALSE(one.manufacturer.has_value());
  const CameraConfig& two = config->cameras[1];
  EXPECT_EQ(two.label, "encoder-ch2");
  EXPECT_EQ(two.host, "2001:db8::7");
  EXPECT_EQ(two.port, 8080);
  EXPECT_EQ(two.password, "p@ss");
  EXPECT_TRUE(two.basic_auth);
  EXPECT_EQ(two.request_timeout, milliseconds(1500));
  EXPECT_EQ(two.attempts, 3U);
  EXPECT_EQ(two.channel, 2U);
  EXPECT_EQ(two.rtsp, Detect::kNo);  // YAML's no, read as text.
  EXPECT_EQ(two.rtsp_port, 8554);
  EXPECT_TRUE(two.hard_factory_default);
  EXPECT_EQ(two.ptz, Detect::kYes);
  EXPECT_EQ(two.presets, 8U);
  EXPECT_EQ(two.manufacturer, "ACME");
  EXPECT_EQ(two.model, "Q7404");
}

TEST(VapixConfig, RejectsBadValuesNamingTheirPosition) {
  const std::string camera =
      "cameras:\n  - id: cam-1\n    host: 192.0.2.20\n    user: root\n    password: pw\n";
  struct Case {
    const char* name;
    std::string yaml;
    std::string expected;  // A part of the message, with the position of the offending node.
  };
  const std::vector<Case> cases = {
      {"unknown top-level key", "colour: red\n" + camera, "colour (line 1, column 1): unknown key"},
      {"no cameras", "cameras: []\n", "cameras (line 1, column 10): must list at least one"},
      {"unknown camera key", camera + "    speed: 3\n",
       "cameras[0].speed (line 6, column 5): unknown key \"speed\""},
      {"no host", "cameras:\n  - {id: a, user: u, password: p}\n",
       "cameras[0].host (line 2, column 5): is required"},
      {"no password", "cameras:\n  - {id: a, host: h, user: u}\n",
       "cameras[0].password (line 2, column 5): is required"},
      {"bad id", "cameras:\n  - {id: \"a b\", host: h, user: u, password: p}\n",
       "cameras[0].id (line 2, column 10): may contain only letters"},
      {"host with a path", "cameras:\n  - {id: a, host: \"h/x\", user: u, password: p}\n",
       "cameras[0].host (line 2, column 19): must be a host name or an address"},
      {"user with a colon", "cameras:\n  - {id: a, host: h, user: \"u:v\", password: p}\n",
       "cameras[0].user (line 2, column 28): may not contain ':'"},
      {"port", camera + "    port: 0\n", "cameras[0].port (line 6, column 11): must be between 1"},
      {"timeout", camera + "    request_timeout_ms: 50\n",
       "cameras[0].request_timeout_ms (line 6, column 25): must be between 100 and 30000"},
      {"attempts", camera + "    attempts: 6\n",
       "cameras[0].attempts (line 6, column 15): must be between 1 and 5"},
      {"channel", camera + "    channel: 17\n",
       "cameras[0].channel (line 6, column 14): must be between 1 and 16"},
      {"rtsp", camera + "    rtsp: maybe\n",
       "cameras[0].rtsp (line 6, column 11): must be auto, yes or no"},
      {"ptz", camera + "    ptz: [yes]\n", "cameras[0].ptz (line 6, column 10): expected a single"},
      {"basic_auth", camera + "    basic_auth: sometimes\n",
       "cameras[0].basic_auth (line 6, column 17): expected true or false"},
      {"presets", camera + "    presets: 0\n", "cameras[0].presets (line 6, column 14)"},
      {"duplicate id", camera + "  - {id: cam-1, host: other, user: u, password: p}\n",
       "cameras[1].id (line 6, column 10): duplicate camera id \"cam-1\" (first defined at line 2, "
       "column 9)"},
      {"duplicate channel", camera + "  - {id: cam-2, host: 192.0.2.20, user: u, password: p}\n",
       "cameras[1].host (line 6, column 23): duplicate camera 192.0.2.20:80 channel 1 (first "
       "defined at line 3, column 11)"},
  };
  for (const Case& bad : cases) {
    auto config = ParseVapixConfig(YAML::Load(bad.yaml));
    ASSERT_FALSE(config.ok()) << bad.name;
    EXPECT_NE(config.error().message.find(bad.expected), std::string::npos)
        << bad.name << ": " << config.error().message;
  }
  // Another channel of the same encoder is another camera.
  EXPECT_TRUE(
      ParseVapixConfig(YAML::Load(camera + "  - {id: cam-2, host: 192.0.2.20, channel: 2, user: "
                                           "u, password: p}\n"))
          .ok());
}

// The sample gateway config ships an adapter section that this adapter accepts.
TEST(VapixConfig, SampleGatewayConfigSectionParses) {
  const std::filesystem::path sample =
      std::filesystem::path(__FILE__).parent_path() / "../../../config/vapix.yaml";
  YAML::Node root = YAML::LoadFile(sample.string());
  int found = 0;
  for (const YAML::Node& adapter : root["adapters"]) {
    if (adapter["exec"].as<std::string>() != "onvif-adapter-vapix") continue;
    auto config = ParseVapixConfig(adapter["config"]);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_FALSE(config->cameras.empty());
    ++found;
  }
  EXPECT_EQ(found, 1);
}

// ----------------------------------------------------------------------------------- Service

class VapixServiceTest : public ::testing::Test {
 protected:
  static constexpr const char* kConfig = R"(cameras:
  - id: cam-1
    label: Entrance
    host: 127.0.0.1
    port: {port}
    user: root
    password: "p@ss w:rd"
    request_timeout_ms: 1000
    attempts: 1
)";

  void SetUp() override {
    http_ = std::make_unique<ScriptedHttpServer>(
        [this](const ReceivedRequest& request) { return axis_.Handle(request); });
    Start(kConfig);
  }

  void Start(const std::string& yaml) {
    Stop();
    auto config =
        ParseVapixConfig(YAML::Load(Replace(yaml, "{port}", std::to_string(http_->port()))));
    ASSERT_TRUE(config.ok()) << config.error().message;
    service_ = std::make_unique<VapixService>(std::move(config).value());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::Adapter::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }

  void Stop() {
    if (server_) {
      service_->BeginShutdown();
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
      server_.reset();
    }
    service_.reset();
  }
  void TearDown() override {
    Stop();
    http_->Stop();
  }

  // The targets the camera received since the last call.
  std::vector<std::string> Targets() {
    std::vector<std::string> targets;
    const auto requests = http_->requests();
    for (size_t i = seen_; i < requests.size(); ++i) targets.push_back(requests[i].target);
    seen_ = requests.size();
    return targets;
  }

  v1::CameraRef Ref(const std::string& camera = "cam-1") {
    v1::CameraRef ref;
    ref.set_camera_id(camera);
    return ref;
  }
  grpc::Status Describe(v1::DescribeResponse* response) {
    grpc::ClientContext context;
    v1::DescribeRequest request;
    request.set_gateway_api_version(1);
    return stub_->Describe(&context, request, response);
  }
  grpc::Status DeviceInformation(v1::DeviceInformation* response) {
    grpc::ClientContext context;
    return stub_->GetDeviceInformation(&context, Ref(), response);
  }
  grpc::Status Continuous(std::optional<std::pair<float, float>> pan_tilt,
                          std::optional<float> zoom) {
    grpc::ClientContext context;
    v1::ContinuousMovePtzRequest request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    if (pan_tilt) {
      request.mutable_velocity()->mutable_pan_tilt()->set_x(pan_tilt->first);
      request.mutable_velocity()->mutable_pan_tilt()->set_y(pan_tilt->second);
    }
    if (zoom) request.mutable_velocity()->mutable_zoom()->set_x(*zoom);
    v1::PtzMoveResponse response;
    return stub_->ContinuousMovePtz(&context, request, &response);
  }
  grpc::Status StopPtz(bool pan_tilt, bool zoom) {
    grpc::ClientContext context;
    v1::StopPtzRequest request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    request.set_pan_tilt(pan_tilt);
    request.set_zoom(zoom);
    v1::PtzMoveResponse response;
    return stub_->StopPtz(&context, request, &response);
  }
  grpc::Status Status(v1::PtzStatus* status) {
    grpc::ClientContext context;
    v1::PtzNodeRef request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    return stub_->GetPtzStatus(&context, request, status);
  }
  enum class PresetCall { kSet, kRemove, kGoto };
  grpc::Status Preset(PresetCall call, uint32_t slot) {
    grpc::ClientContext context;
    v1::PtzMoveResponse response;
    if (call == PresetCall::kGoto) {
      v1::GotoPtzPresetRequest request;
      request.set_camera_id("cam-1");
      request.set_node_id("0");
      request.set_slot(slot);
      return stub_->GotoPtzPreset(&context, request, &response);
    }
    v1::PtzPresetRequest request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    request.set_slot(slot);
    return call == PresetCall::kSet ? stub_->SetPtzPreset(&context, request, &response)
                                    : stub_->RemovePtzPreset(&context, request, &response);
  }
  // Reads the facts once, so that later target lists hold only what a test's call sends.
  void Warm() {
    v1::DeviceInformation info;
    ASSERT_TRUE(DeviceInformation(&info).ok());
    Targets();
  }

  FakeAxis axis_;
  std::unique_ptr<ScriptedHttpServer> http_;
  size_t seen_ = 0;
  std::unique_ptr<VapixService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Adapter::Stub> stub_;
};

const std::string kFactsTarget =
    "/axis-cgi/param.cgi?action=list&group=Brand,Properties,IOPort,Image.I0.Stream.FPS,PTZ.Preset."
    "P0.HomePosition,ImageSource.I0";

TEST_F(VapixServiceTest, DescribesWhatTheCameraHas) {
  v1::DescribeResponse response;
  ASSERT_TRUE(Describe(&response).ok());
  EXPECT_EQ(response.api_version(), 1U);
  EXPECT_EQ(response.adapter_name(), "vapix");
  ASSERT_EQ(response.cameras_size(), 1);
  const v1::CameraDescription& camera = response.cameras(0);
  EXPECT_EQ(camera.camera_id(), "cam-1");
  EXPECT_EQ(camera.label(), "Entrance");
  const v1::Capabilities& caps = camera.capabilities();
  EXPECT_TRUE(caps.device_information());
  EXPECT_TRUE(caps.system_time());
  EXPECT_TRUE(caps.set_system_time());
  EXPECT_TRUE(caps.reboot());
  EXPECT_TRUE(caps.video_sources());
  EXPECT_TRUE(caps.snapshot());
  EXPECT_TRUE(caps.factory_default());
  EXPECT_TRUE(caps.system_log());
  EXPECT_TRUE(caps.firmware_upgrade());
  EXPECT_TRUE(caps.relay_outputs());   // IOPort.I1 is an output.
  EXPECT_TRUE(caps.digital_inputs());  // IOPort.I0 is an input.
  EXPECT_TRUE(caps.events());          // The input, and motion of ImageSource.I0.
  EXPECT_TRUE(caps.imaging());         // ImageSource.I0.Sensor.*
  EXPECT_TRUE(caps.ptz());             // Properties.PTZ.PTZ=yes.
  EXPECT_FALSE(caps.video_encoder_configuration());
  EXPECT_FALSE(caps.audio_sources());
  EXPECT_FALSE(caps.auxiliary_commands());
  EXPECT_FALSE(caps.tamper_events());
  EXPECT_FALSE(caps.configuration_backup());
  // Describe read the facts once: the probe on the v3 path, then the head's limits.
  EXPECT_EQ(Targets(), (std::vector<std::string>{kFactsTarget,
                                                 "/axis-cgi/com/ptz.cgi?camera=1&query=limits"}));

  // What it does not claim answers UNIMPLEMENTED.
  grpc::ClientContext context;
  v1::AudioSourceList audio;
  EXPECT_EQ(stub_->ListAudioSources(&context, Ref(), &audio).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(VapixServiceTest, InventoryListsWhatACameraWithEverythingClaims) {
  v1::DescribeResponse response;
  ASSERT_TRUE(Describe(&response).ok());
  const v1::Capabilities& caps = response.cameras(0).capabilities();
  std::set<std::string> claimed;
  const auto* descriptor = caps.GetDescriptor();
  const auto* reflection = caps.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (reflection->GetBool(caps, descriptor->field(i)))
      claimed.insert(descriptor->field(i)->name());
  }
  const std::filesystem::path inventory =
      std::filesystem::path(__FILE__).parent_path() / "../../../adapters/INVENTORY.yaml";
  std::set<std::string> listed;
  int entries = 0;
  for (const YAML::Node& adapter : YAML::LoadFile(inventory.string())["adapters"]) {
    if (adapter["name"].as<std::string>() != "vapix") continue;
    ++entries;
    EXPECT_EQ(adapter["executable"].as<std::string>(), "onvif-adapter-vapix");
    EXPECT_EQ(adapter["api_version"].as<int>(), 1);
    for (const YAML::Node& feature : adapter["features"]) listed.insert(feature.as<std::string>());
  }
  EXPECT_EQ(entries, 1);
  EXPECT_EQ(listed, claimed);
}

TEST_F(VapixServiceTest, WithoutPortsOrPtzItClaimsNeither) {
  axis_.Erase("IOPort.");
  axis_.Erase("ImageSource.");
  axis_.Set("Properties.PTZ.PTZ", "no");
  v1::DescribeResponse response;
  ASSERT_TRUE(Describe(&response).ok());
  const v1::Capabilities& caps = response.cameras(0).capabilities();
  EXPECT_FALSE(caps.relay_outputs());
  EXPECT_FALSE(caps.digital_inputs());
  EXPECT_FALSE(caps.imaging());
  EXPECT_FALSE(caps.events());  // Neither inputs nor an image source with motion data.
  EXPECT_FALSE(caps.ptz());
  EXPECT_TRUE(caps.snapshot());
  EXPECT_EQ(Targets(), std::vector<std::string>{kFactsTarget});  // No limits without PTZ.
  grpc::ClientContext context;
  v1::PtzNodeList nodes;
  EXPECT_EQ(stub_->ListPtzNodes(&context, Ref(), &nodes).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  grpc::ClientContext relays_context;
  v1::RelayOutputList relays;
  EXPECT_EQ(stub_->ListRelayOutputs(&relays_context, Ref(), &relays).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  grpc::ClientContext inputs_context;
  v1::DigitalInputList inputs;
  EXPECT_EQ(stub_->ListDigitalInputs(&inputs_context, Ref(), &inputs).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  grpc::ClientContext imaging_context;
  v1::ImagingRef sensor;
  sensor.set_camera_id("cam-1");
  sensor.set_imaging_id("0");
  v1::ImagingOptions options;
  EXPECT_EQ(stub_->GetImagingOptions(&imaging_context, sensor, &options).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(VapixServiceTest, DeviceInformationComesFromBrandAndProperties) {
  v1::DeviceInformation info;
  ASSERT_TRUE(DeviceInformation(&info).ok());
  EXPECT_EQ(info.manufacturer(), "AXIS");
  EXPECT_EQ(info.model(), "P5635-E");
  EXPECT_EQ(info.firmware_version(), "5.51.7");
  EXPECT_EQ(info.serial_number(), "ACCC8E012345");
  EXPECT_EQ(info.hardware_id(), "71D");
  EXPECT_EQ(Targets().size(), 2U);
  // Cached: the next call asks nothing.
  ASSERT_TRUE(DeviceInformation(&info).ok());
  EXPECT_TRUE(Targets().empty());

  Start(std::string(kConfig) + "    manufacturer: ACME\n    model: Dome 9\n");
  ASSERT_TRUE(DeviceInformation(&info).ok());
  EXPECT_EQ(info.manufacturer(), "ACME");
  EXPECT_EQ(info.model(), "Dome 9");
}

TEST_F(VapixServiceTest, AVapix2CameraIsProbedOnceAndGetsTheOldPaths) {
  axis_.SetVapix3(false);
  v1::DeviceInformation info;
  ASSERT_TRUE(DeviceInformation(&info).ok());
  EXPECT_EQ(info.model(), "P5635-E");
  const std::string v2_facts =
      Replace(kFactsTarget, "/axis-cgi/param.cgi", "/axis-cgi/operator/param.cgi");
  EXPECT_EQ(Targets(), (std::vector<std::string>{kFactsTarget, v2_facts,
                                                 "/axis-cgi/com/ptz.cgi?camera=1&query=limits"}));
  grpc::ClientContext context;
  v1::RebootResponse reboot;
  ASSERT_TRUE(stub_->Reboot(&context, Ref(), &reboot).ok());
  EXPECT_EQ(reboot.expected_downtime_seconds(), VapixService::kRebootSeconds);
  EXPECT_EQ(Targets(), std::vector<std::string>{"/axis-cgi/admin/restart.cgi"});
  // The restart made the facts stale: they are read again, on the path that worked.
  ASSERT_TRUE(DeviceInformation(&info).ok());
  EXPECT_EQ(Targets().front(), v2_facts);
}

TEST_F(VapixServiceTest, VideoSourcesCarryTheCredentialsPercentEncoded) {
  grpc::ClientContext context;
  v1::VideoSourceList sources;
  ASSERT_TRUE(stub_->ListVideoSources(&context, Ref(), &sources).ok());
  ASSERT_EQ(sources.sources_size(), 1);
  const v1::VideoSource& source = sources.sources(0);
  EXPECT_EQ(source.source_id(), "0");
  EXPECT_EQ(source.resolution().width(), 1920U);  // The largest of the list.
  EXPECT_EQ(source.resolution().height(), 1080U);
  EXPECT_EQ(source.framerate(), 25);  // Image.I0.Stream.FPS.
  ASSERT_EQ(source.streams_size(), 2);
  const std::string port = std::to_string(http_->port());
  const v1::VideoStream& h264 = source.streams(0);
  EXPECT_EQ(h264.stream_id(), "h264");
  EXPECT_EQ(h264.uri(),
            "rtsp://root:p%40ss%20w%3Ard@127.0.0.1:554/axis-media/"
            "media.amp?videocodec=h264&camera=1&resolution=1920x1080");
  EXPECT_EQ(h264.codec(), v1::VIDEO_CODEC_H264);
  EXPECT_EQ(h264.transport(), v1::STREAM_TRANSPORT_RTSP);
  const v1::VideoStream& mjpeg = source.streams(1);
  EXPECT_EQ(mjpeg.stream_id(), "mjpeg");
  EXPECT_EQ(mjpeg.uri(), "http://root:p%40ss%20w%3Ard@127.0.0.1:" + port +
                             "/axis-cgi/mjpg/video.cgi?camera=1&resolution=1920x1080");
  EXPECT_EQ(mjpeg.codec(), v1::VIDEO_CODEC_JPEG);
  EXPECT_EQ(mjpeg.transport(), v1::STREAM_TRANSPORT_MJPEG_HTTP);
  EXPECT_EQ(mjpeg.resolution().width(), 1920U);

  // No h264 in Properties.Image.Format: MJPEG only (rtsp: auto).
  axis_.Set("Properties.Image.Format", "jpeg,mjpeg");
  Start(kConfig);
  grpc::ClientContext again;
  v1::VideoSourceList mjpeg_only;
  ASSERT_TRUE(stub_->ListVideoSources(&again, Ref(), &mjpeg_only).ok());
  ASSERT_EQ(mjpeg_only.sources(0).streams_size(), 1);
  EXPECT_EQ(mjpeg_only.sources(0).streams(0).stream_id(), "mjpeg");
}

TEST_F(VapixServiceTest, SnapshotIsAJpegOrTheCamerasError) {
  grpc::ClientContext context;
  v1::SnapshotRequest request;
  request.set_camera_id("cam-1");
  request.set_source_id("0");
  v1::Snapshot snapshot;
  ASSERT_TRUE(stub_->GetSnapshot(&context, request, &snapshot).ok());
  EXPECT_EQ(snapshot.jpeg(), kJpeg);
  EXPECT_GT(snapshot.taken_at().seconds(), 0);
  EXPECT_EQ(Targets(), std::vector<std::string>{"/axis-cgi/jpg/image.cgi?camera=1"});

  axis_.Override("/axis-cgi/jpg/image.cgi", [](const ReceivedRequest&) {
    return Plain(Text({"Error: camera not available"}));
  });
  grpc::ClientContext failing;
  grpc::Status status = stub_->GetSnapshot(&failing, request, &snapshot);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "camera cam-1 refused the snapshot: Error: camera not available");

  grpc::ClientContext other;
  request.set_source_id("1");
  EXPECT_EQ(stub_->GetSnapshot(&other, request, &snapshot).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(VapixServiceTest, PtzNodeFromTheLimits) {
  axis_.Set("PTZ.Preset.P0.HomePosition", "3");
  grpc::ClientContext context;
  v1::PtzNodeList nodes;
  ASSERT_TRUE(stub_->ListPtzNodes(&context, Ref(), &nodes).ok());
  ASSERT_EQ(nodes.nodes_size(), 1);
  const v1::PtzNode& node = nodes.nodes(0);
  EXPECT_EQ(node.node_id(), "0");
  EXPECT_EQ(node.source_id(), "0");
  EXPECT_TRUE(node.pan_tilt());
  EXPECT_TRUE(node.zoom());
  EXPECT_TRUE(node.absolute_move());
  EXPECT_TRUE(node.relative_move());
  EXPECT_TRUE(node.home());
  EXPECT_FALSE(node.settable_home());
  EXPECT_FALSE(node.move_status());
  ASSERT_EQ(node.preset_slots_size(), 31);  // 1..32 without the home preset 3.
  EXPECT_EQ(node.preset_slots(0), 1U);
  EXPECT_EQ(node.preset_slots(2), 4U);
}

TEST_F(VapixServiceTest, ContinuousMoveAndStopSendTheExactQueries) {
  Warm();
  ASSERT_TRUE(Continuous(std::make_pair(0.5f, -0.25f), 0.1f).ok());
  ASSERT_TRUE(Continuous(std::nullopt, -1.0f).ok());
  v1::PtzStatus status;
  ASSERT_TRUE(Status(&status).ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);
  ASSERT_TRUE(StopPtz(true, true).ok());
  ASSERT_TRUE(StopPtz(false, false).ok());  // Stops nothing, sends nothing.
  EXPECT_EQ(Targets(),
            (std::vector<std::string>{
                "/axis-cgi/com/ptz.cgi?camera=1&continuouspantiltmove=50,-25&continuouszoommove=10",
                "/axis-cgi/com/ptz.cgi?camera=1&continuouszoommove=-100",
                "/axis-cgi/com/ptz.cgi?camera=1&query=position",
                "/axis-cgi/com/ptz.cgi?camera=1&continuouspantiltmove=0,0&continuouszoommove=0"}));
  ASSERT_TRUE(Status(&status).ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_TRUE(status.error().empty());

  EXPECT_EQ(Continuous(std::make_pair(1.5f, 0.0f), std::nullopt).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(VapixServiceTest, AbsoluteAndRelativeMovesAreScaledToTheLimits) {
  Warm();
  grpc::ClientContext context;
  v1::AbsoluteMovePtzRequest absolute;
  absolute.set_camera_id("cam-1");
  absolute.set_node_id("0");
  absolute.mutable_position()->mutable_pan_tilt()->set_x(0.5f);
  absolute.mutable_position()->mutable_pan_tilt()->set_y(0.0f);
  absolute.mutable_position()->mutable_zoom()->set_x(0.5f);
  absolute.mutable_speed()->mutable_pan_tilt()->set_x(0.5f);
  absolute.mutable_speed()->mutable_pan_tilt()->set_y(0.25f);
  v1::PtzMoveResponse moved;
  ASSERT_TRUE(stub_->AbsoluteMovePtz(&context, absolute, &moved).ok());

  grpc::ClientContext relative_context;
  v1::RelativeMovePtzRequest relative;
  relative.set_camera_id("cam-1");
  relative.set_node_id("0");
  relative.mutable_translation()->mutable_pan_tilt()->set_x(-0.25f);
  relative.mutable_translation()->mutable_pan_tilt()->set_y(0.5f);
  ASSERT_TRUE(stub_->RelativeMovePtz(&relative_context, relative, &moved).ok());

  grpc::ClientContext zoom_context;
  v1::RelativeMovePtzRequest zoom;
  zoom.set_camera_id("cam-1");
  zoom.set_node_id("0");
  zoom.mutable_translation()->mutable_zoom()->set_x(-0.1f);
  ASSERT_TRUE(stub_->RelativeMovePtz(&zoom_context, zoom, &moved).ok());
  EXPECT_EQ(Targets(), (std::vector<std::string>{
                           "/axis-cgi/com/ptz.cgi?camera=1&speed=50&pan=90&tilt=-35&zoom=5000",
                           "/axis-cgi/com/ptz.cgi?camera=1&speed=100&rpan=-45&rtilt=27.5",
                           "/axis-cgi/com/ptz.cgi?camera=1&rzoom=-1000"}));

  v1::PtzStatus status;
  ASSERT_TRUE(Status(&status).ok());
  EXPECT_FLOAT_EQ(status.position().pan_tilt().x(), 0.5f);  // pan=90 of -180..180
  EXPECT_FLOAT_EQ(status.position().pan_tilt().y(), 0.0f);  // tilt=-35 of -90..20
  EXPECT_NEAR(status.position().zoom().x(), 0.5f, 1e-3);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_UNKNOWN);  // After a go-to.
  EXPECT_FALSE(status.error().empty());

  // The camera's refusal comes back with its words.
  axis_.Override("/axis-cgi/com/ptz.cgi",
                 [](const ReceivedRequest&) { return Plain(Text({"Error: pan out of range"})); });
  grpc::ClientContext refused_context;
  grpc::Status refused = stub_->AbsoluteMovePtz(&refused_context, absolute, &moved);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message(),
            "camera cam-1 refused the absolute move: Error: pan out of range");
}

TEST_F(VapixServiceTest, PresetsAreServerPresetsByNumber) {
  Warm();
  axis_.SetPresets({1, 5});
  ASSERT_TRUE(Preset(PresetCall::kSet, 5).ok());
  ASSERT_TRUE(Preset(PresetCall::kGoto, 5).ok());
  ASSERT_TRUE(Preset(PresetCall::kRemove, 5).ok());
  ASSERT_TRUE(Preset(PresetCall::kRemove, 7).ok());  // Empty: looked up, nothing removed.
  EXPECT_EQ(Targets(), (std::vector<std::string>{
                           "/axis-cgi/com/ptz.cgi?camera=1&setserverpresetno=5",
                           "/axis-cgi/com/ptz.cgi?camera=1&speed=100&gotoserverpresetno=5",
                           "/axis-cgi/com/ptz.cgi?camera=1&query=presetposall",
                           "/axis-cgi/com/ptz.cgi?camera=1&removeserverpresetno=5",
                           "/axis-cgi/com/ptz.cgi?camera=1&query=presetposall"}));
  // An empty slot: the camera refuses, the client learns it is gone.
  EXPECT_EQ(Preset(PresetCall::kGoto, 7).error_code(), grpc::StatusCode::NOT_FOUND);
  // The home preset (1) and numbers beyond `presets` are not slots.
  EXPECT_EQ(Preset(PresetCall::kSet, 1).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Preset(PresetCall::kSet, 33).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  grpc::ClientContext home_context;
  v1::GotoPtzHomeRequest home;
  home.set_camera_id("cam-1");
  home.set_node_id("0");
  home.mutable_speed()->mutable_pan_tilt()->set_x(0.2f);
  home.mutable_speed()->mutable_pan_tilt()->set_y(0.2f);
  v1::PtzMoveResponse moved;
  ASSERT_TRUE(stub_->GotoPtzHome(&home_context, home, &moved).ok());
  grpc::ClientContext set_home_context;
  v1::PtzNodeRef node;
  node.set_camera_id("cam-1");
  node.set_node_id("0");
  EXPECT_EQ(stub_->SetPtzHome(&set_home_context, node, &moved).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  grpc::ClientContext other_node_context;
  node.set_node_id("1");
  EXPECT_EQ(stub_->SetPtzHome(&other_node_context, node, &moved).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(VapixServiceTest, HomeIsMoveHomeAtTheRequestedSpeed) {
  Warm();
  grpc::ClientContext context;
  v1::GotoPtzHomeRequest home;
  home.set_camera_id("cam-1");
  home.set_node_id("0");
  home.mutable_speed()->mutable_pan_tilt()->set_x(0.2f);
  home.mutable_speed()->mutable_pan_tilt()->set_y(0.1f);
  v1::PtzMoveResponse moved;
  ASSERT_TRUE(stub_->GotoPtzHome(&context, home, &moved).ok());
  EXPECT_EQ(Targets(),
            std::vector<std::string>{"/axis-cgi/com/ptz.cgi?camera=1&speed=20&move=home"});
}

TEST_F(VapixServiceTest, RelaysAreTheOutputPorts) {
  axis_.SetPortActive("2", true);
  grpc::ClientContext context;
  v1::RelayOutputList relays;
  ASSERT_TRUE(stub_->ListRelayOutputs(&context, Ref(), &relays).ok());
  ASSERT_EQ(relays.relays_size(), 1);
  const v1::RelayOutput& relay = relays.relays(0);
  EXPECT_EQ(relay.relay_id(), "relay-2");
  EXPECT_EQ(relay.mode(), v1::RELAY_MODE_BISTABLE);
  EXPECT_EQ(relay.idle_state(), v1::RELAY_IDLE_STATE_OPEN);  // Output.Active=closed.
  EXPECT_TRUE(relay.active());
  EXPECT_EQ(Targets().back(), "/axis-cgi/io/port.cgi?checkactive=2");

  grpc::ClientContext state_context;
  v1::SetRelayOutputStateRequest state;
  state.set_camera_id("cam-1");
  state.set_relay_id("relay-2");
  state.set_active(false);
  v1::RelayOutput after;
  ASSERT_TRUE(stub_->SetRelayOutputState(&state_context, state, &after).ok());
  EXPECT_FALSE(after.active());
  EXPECT_EQ(Targets(), std::vector<std::string>{"/axis-cgi/io/port.cgi?action=2%3A%5C"});

  // Monostable with the idle state closed: Output.Active becomes open, activation a pulse.
  grpc::ClientContext settings_context;
  v1::SetRelayOutputSettingsRequest settings;
  settings.set_camera_id("cam-1");
  settings.set_relay_id("relay-2");
  settings.set_mode(v1::RELAY_MODE_MONOSTABLE);
  settings.set_delay_ms(500);
  settings.set_idle_state(v1::RELAY_IDLE_STATE_CLOSED);
  ASSERT_TRUE(stub_->SetRelayOutputSettings(&settings_context, settings, &after).ok());
  EXPECT_EQ(after.mode(), v1::RELAY_MODE_MONOSTABLE);
  EXPECT_EQ(after.delay_ms(), 500U);
  EXPECT_EQ(after.idle_state(), v1::RELAY_IDLE_STATE_CLOSED);
  EXPECT_EQ(Targets(), (std::vector<std::string>{
                           "/axis-cgi/param.cgi?action=update&IOPort.I1.Output.Active=open",
                           "/axis-cgi/io/port.cgi?checkactive=2"}));
  grpc::ClientContext pulse_context;
  state.set_active(true);
  ASSERT_TRUE(stub_->SetRelayOutputState(&pulse_context, state, &after).ok());
  EXPECT_EQ(Targets(), std::vector<std::string>{"/axis-cgi/io/port.cgi?action=2%3A%2F500%5C"});

  grpc::ClientContext unknown_context;
  state.set_relay_id("relay-1");  // An input.
  EXPECT_EQ(stub_->SetRelayOutputState(&unknown_context, state, &after).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext bad_context;
  settings.set_delay_ms(0);
  EXPECT_EQ(stub_->SetRelayOutputSettings(&bad_context, settings, &after).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

v1::ImagingRef Sensor() {
  v1::ImagingRef ref;
  ref.set_camera_id("cam-1");
  ref.set_imaging_id("0");
  return ref;
}

// Whether `targets` holds one that starts with `prefix`.
bool Sent(const std::vector<std::string>& targets, const std::string& prefix) {
  return std::any_of(targets.begin(), targets.end(),
                     [&](const std::string& target) { return target.starts_with(prefix); });
}

TEST_F(VapixServiceTest, ImagingOptionsAndSettingsRoundTrip) {
  grpc::ClientContext options_context;
  v1::ImagingOptions options;
  ASSERT_TRUE(stub_->GetImagingOptions(&options_context, Sensor(), &options).ok());
  for (const v1::FloatRange* range : {&options.brightness(), &options.color_saturation(),
                                      &options.contrast(), &options.sharpness()}) {
    EXPECT_EQ(range->min(), 0);
    EXPECT_EQ(range->max(), 100);
  }
  EXPECT_EQ(options.ir_cut_filter_modes_size(), 3);
  EXPECT_FALSE(options.has_exposure());  // Axis' exposure modes are no ONVIF exposure.
  ASSERT_TRUE(options.focus().has_move());
  EXPECT_EQ(options.focus().move().absolute_position().min(), 1);
  EXPECT_EQ(options.focus().move().absolute_position().max(), 9999);
  EXPECT_EQ(options.focus().move().relative_distance().max(), 9998);
  EXPECT_EQ(options.focus().move().continuous_speed().min(), -1);
  EXPECT_FALSE(options.focus().move().has_absolute_speed());
  EXPECT_EQ(options.focus().auto_focus_modes_size(), 2);

  grpc::ClientContext get_context;
  v1::ImagingSettings settings;
  ASSERT_TRUE(stub_->GetImagingSettings(&get_context, Sensor(), &settings).ok());
  EXPECT_EQ(settings.brightness(), 50);
  EXPECT_EQ(settings.color_saturation(), 50);
  EXPECT_EQ(settings.contrast(), 50);
  EXPECT_EQ(settings.sharpness(), 50);
  EXPECT_EQ(settings.ir_cut_filter(), v1::IR_CUT_FILTER_MODE_AUTO);
  EXPECT_EQ(settings.focus().auto_focus_mode(), v1::AUTO_MANUAL_MODE_AUTO);
  Targets();

  grpc::ClientContext set_context;
  v1::SetImagingSettingsRequest set;
  *set.mutable_camera_id() = "cam-1";
  *set.mutable_imaging_id() = "0";
  set.mutable_settings()->set_brightness(70.4F);
  set.mutable_settings()->set_color_saturation(30);
  set.mutable_settings()->set_sharpness(0);
  set.mutable_settings()->mutable_focus()->set_auto_focus_mode(v1::AUTO_MANUAL_MODE_MANUAL);
  v1::ImagingSettings after;
  ASSERT_TRUE(stub_->SetImagingSettings(&set_context, set, &after).ok());
  EXPECT_EQ(after.brightness(), 70);
  EXPECT_EQ(after.color_saturation(), 30);
  EXPECT_EQ(after.contrast(), 50);  // Absent: left as it was.
  EXPECT_EQ(after.sharpness(), 0);
  EXPECT_EQ(after.focus().auto_focus_mode(), v1::AUTO_MANUAL_MODE_MANUAL);
  const auto targets = Targets();
  ASSERT_GE(targets.size(), 2U);
  // One update (the camera takes all or nothing), then the lens mode.
  EXPECT_EQ(targets[0],
            "/axis-cgi/param.cgi?action=update&ImageSource.I0.Sensor.Brightness=70&"
            "ImageSource.I0.Sensor.ColorLevel=30&ImageSource.I0.Sensor.Sharpness=0");
  EXPECT_EQ(targets[1], "/axis-cgi/com/ptz.cgi?camera=1&autofocus=off");
}

TEST_F(VapixServiceTest, AnImagingValueRefusedChangesNothing) {
  Warm();
  v1::SetImagingSettingsRequest set;
  set.set_camera_id("cam-1");
  set.set_imaging_id("0");
  v1::ImagingSettings after;
  // Outside the options: refused before the camera is asked.
  set.mutable_settings()->set_brightness(20);
  set.mutable_settings()->set_contrast(101);
  grpc::ClientContext range_context;
  grpc::Status range = stub_->SetImagingSettings(&range_context, set, &after);
  EXPECT_EQ(range.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(range.error_message().find("contrast"), std::string::npos);
  set.mutable_settings()->set_contrast(40);
  set.mutable_settings()->mutable_exposure()->set_mode(v1::AUTO_MANUAL_MODE_MANUAL);
  grpc::ClientContext absent_context;
  grpc::Status absent = stub_->SetImagingSettings(&absent_context, set, &after);
  EXPECT_EQ(absent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(absent.error_message().find("exposure"), std::string::npos);
  EXPECT_TRUE(Targets().empty());

  // The camera refuses one value: it takes none of them, and says which.
  set.mutable_settings()->clear_exposure();
  axis_.Refuse("ImageSource.I0.Sensor.Contrast");
  grpc::ClientContext refused_context;
  grpc::Status refused = stub_->SetImagingSettings(&refused_context, set, &after);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("Error setting 'ImageSource.I0.Sensor.Contrast' to '40'"),
            std::string::npos)
      << refused.error_message();
  EXPECT_EQ(axis_.Get("ImageSource.I0.Sensor.Brightness"), "50");
  EXPECT_EQ(axis_.Get("ImageSource.I0.Sensor.Contrast"), "50");
  grpc::ClientContext get_context;
  v1::ImagingSettings settings;
  ASSERT_TRUE(stub_->GetImagingSettings(&get_context, Sensor(), &settings).ok());
  EXPECT_EQ(settings.brightness(), 50);

  grpc::ClientContext unknown_context;
  v1::ImagingRef other = Sensor();
  other.set_imaging_id("1");
  EXPECT_EQ(stub_->GetImagingSettings(&unknown_context, other, &settings).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(VapixServiceTest, IrCutFilterModesAreDayNightYesNoAuto) {
  for (const auto& [mode, value] : std::vector<std::pair<v1::IrCutFilterMode, std::string>>{
           {v1::IR_CUT_FILTER_MODE_ON, "yes"},
           {v1::IR_CUT_FILTER_MODE_OFF, "no"},
           {v1::IR_CUT_FILTER_MODE_AUTO, "auto"}}) {
    grpc::ClientContext context;
    v1::SetImagingSettingsRequest set;
    set.set_camera_id("cam-1");
    set.set_imaging_id("0");
    set.mutable_settings()->set_ir_cut_filter(mode);
    v1::ImagingSettings after;
    ASSERT_TRUE(stub_->SetImagingSettings(&context, set, &after).ok());
    EXPECT_EQ(after.ir_cut_filter(), mode);
    EXPECT_EQ(axis_.Get("ImageSource.I0.DayNight.IrCutFilter"), value);
    EXPECT_TRUE(Sent(Targets(),
                     "/axis-cgi/param.cgi?action=update&ImageSource.I0.DayNight."
                     "IrCutFilter=" +
                         value));
  }
}

TEST_F(VapixServiceTest, FocusMovesThroughPtzCgi) {
  Warm();
  auto move = [&](const std::function<void(v1::MoveFocusRequest&)>& fill) {
    grpc::ClientContext context;
    v1::MoveFocusRequest request;
    request.set_camera_id("cam-1");
    request.set_imaging_id("0");
    fill(request);
    v1::FocusMoveResponse response;
    return stub_->MoveFocus(&context, request, &response);
  };
  auto status = [&] {
    grpc::ClientContext context;
    v1::FocusStatus focus;
    EXPECT_TRUE(stub_->GetFocusStatus(&context, Sensor(), &focus).ok());
    return focus;
  };
  // Before the adapter moved the lens it cannot tell whether it moves.
  v1::FocusStatus before = status();
  EXPECT_EQ(before.move_status(), v1::PTZ_MOVE_STATUS_UNKNOWN);
  EXPECT_FALSE(before.error().empty());
  EXPECT_EQ(before.position(), 5000);
  Targets();

  ASSERT_TRUE(move([](v1::MoveFocusRequest& r) { r.mutable_absolute()->set_position(2500); }).ok());
  EXPECT_EQ(Targets(), std::vector<std::string>{"/axis-cgi/com/ptz.cgi?camera=1&focus=2500"});
  v1::FocusStatus arrived = status();
  EXPECT_EQ(arrived.position(), 2500);
  EXPECT_EQ(arrived.move_status(), v1::PTZ_MOVE_STATUS_IDLE);
  Targets();  // The status queries.

  ASSERT_TRUE(move([](v1::MoveFocusRequest& r) { r.mutable_relative()->set_distance(-500); }).ok());
  EXPECT_EQ(Targets(), (std::vector<std::string>{"/axis-cgi/com/ptz.cgi?camera=1&query=position",
                                                 "/axis-cgi/com/ptz.cgi?camera=1&rfocus=-500"}));
  EXPECT_EQ(status().position(), 2000);
  Targets();  // The status queries.

  ASSERT_TRUE(move([](v1::MoveFocusRequest& r) { r.mutable_continuous()->set_speed(0.5F); }).ok());
  EXPECT_EQ(Targets(),
            std::vector<std::string>{"/axis-cgi/com/ptz.cgi?camera=1&continuousfocusmove=50"});
  EXPECT_EQ(status().move_status(), v1::PTZ_MOVE_STATUS_MOVING);
  Targets();  // The status queries.
  grpc::ClientContext stop_context;
  v1::FocusMoveResponse stopped;
  ASSERT_TRUE(stub_->StopFocus(&stop_context, Sensor(), &stopped).ok());
  EXPECT_EQ(Targets(),
            std::vector<std::string>{"/axis-cgi/com/ptz.cgi?camera=1&continuousfocusmove=0"});
  EXPECT_EQ(status().move_status(), v1::PTZ_MOVE_STATUS_IDLE);
  Targets();

  // Outside the options, or no move at all: refused before the camera is asked.
  EXPECT_EQ(
      move([](v1::MoveFocusRequest& r) { r.mutable_absolute()->set_position(0); }).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      move([](v1::MoveFocusRequest& r) { r.mutable_continuous()->set_speed(1.5F); }).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(move([](v1::MoveFocusRequest&) {}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Targets().empty());
}

TEST_F(VapixServiceTest, AFixedLensHasNoFocusMoves) {
  axis_.Set("Properties.PTZ.PTZ", "no");
  grpc::ClientContext options_context;
  v1::ImagingOptions options;
  ASSERT_TRUE(stub_->GetImagingOptions(&options_context, Sensor(), &options).ok());
  EXPECT_FALSE(options.has_focus());
  EXPECT_TRUE(options.has_brightness());
  grpc::ClientContext move_context;
  v1::MoveFocusRequest request = [] {
    v1::MoveFocusRequest r;
    r.set_camera_id("cam-1");
    r.set_imaging_id("0");
    r.mutable_absolute()->set_position(100);
    return r;
  }();
  v1::FocusMoveResponse moved;
  EXPECT_EQ(stub_->MoveFocus(&move_context, request, &moved).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext status_context;
  v1::FocusStatus status;
  ASSERT_TRUE(stub_->GetFocusStatus(&status_context, Sensor(), &status).ok());
  EXPECT_EQ(status.move_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_FALSE(status.has_position());
}

TEST_F(VapixServiceTest, DigitalInputsAreTheInputPorts) {
  grpc::ClientContext context;
  v1::DigitalInputList inputs;
  ASSERT_TRUE(stub_->ListDigitalInputs(&context, Ref(), &inputs).ok());
  ASSERT_EQ(inputs.inputs_size(), 1);
  EXPECT_EQ(inputs.inputs(0).input_id(), "input-1");                    // As its events name it.
  EXPECT_EQ(inputs.inputs(0).idle_state(), v1::RELAY_IDLE_STATE_OPEN);  // Input.Trig=closed.
  EXPECT_TRUE(inputs.inputs(0).idle_state_settable());
  EXPECT_FALSE(inputs.inputs(0).active());
  EXPECT_TRUE(inputs.inputs(0).active_known());
  EXPECT_EQ(Targets().back(), "/axis-cgi/io/port.cgi?checkactive=1");

  v1::SetDigitalInputSettingsRequest set;
  set.set_camera_id("cam-1");
  set.set_input_id("input-1");
  set.set_idle_state(v1::RELAY_IDLE_STATE_CLOSED);
  v1::DigitalInput input;
  grpc::ClientContext set_context;
  ASSERT_TRUE(stub_->SetDigitalInputSettings(&set_context, set, &input).ok());
  EXPECT_EQ(input.idle_state(), v1::RELAY_IDLE_STATE_CLOSED);
  EXPECT_EQ(Targets(),
            (std::vector<std::string>{"/axis-cgi/param.cgi?action=update&IOPort.I0.Input.Trig=open",
                                      "/axis-cgi/io/port.cgi?checkactive=1"}));
  EXPECT_EQ(axis_.Get("IOPort.I0.Input.Trig"), "open");
  grpc::ClientContext list_context;
  ASSERT_TRUE(stub_->ListDigitalInputs(&list_context, Ref(), &inputs).ok());
  EXPECT_EQ(inputs.inputs(0).idle_state(), v1::RELAY_IDLE_STATE_CLOSED);
  Targets();

  // Unknown inputs (the output port among them) and no idle state: nothing is sent.
  for (const char* id : {"input-2", "relay-2", "input-", "1"}) {
    grpc::ClientContext unknown_context;
    set.set_input_id(id);
    EXPECT_EQ(stub_->SetDigitalInputSettings(&unknown_context, set, &input).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << id;
  }
  set.set_input_id("input-1");
  set.set_idle_state(v1::RELAY_IDLE_STATE_UNSPECIFIED);
  grpc::ClientContext unspecified_context;
  EXPECT_EQ(stub_->SetDigitalInputSettings(&unspecified_context, set, &input).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Targets().empty());

  // The camera refuses: nothing changed.
  axis_.Refuse("IOPort.I0.Input.Trig");
  set.set_idle_state(v1::RELAY_IDLE_STATE_OPEN);
  grpc::ClientContext refused_context;
  grpc::Status refused = stub_->SetDigitalInputSettings(&refused_context, set, &input);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("IOPort.I0.Input.Trig"), std::string::npos);
  EXPECT_EQ(axis_.Get("IOPort.I0.Input.Trig"), "open");
  grpc::ClientContext again_context;
  ASSERT_TRUE(stub_->ListDigitalInputs(&again_context, Ref(), &inputs).ok());
  EXPECT_EQ(inputs.inputs(0).idle_state(), v1::RELAY_IDLE_STATE_CLOSED);
}

TEST_F(VapixServiceTest, MotionEventsFollowTheMotionData) {
  grpc::ClientContext context;
  v1::StreamEventsRequest request;
  request.add_camera_ids("cam-1");
  auto reader = stub_->StreamEvents(&context, request);
  // The next motion event (others are skipped); nullopt when none comes in time.
  auto next_motion = [&]() -> std::optional<bool> {
    v1::Event event;
    const auto until = Clock::now() + kFailsafe;
    while (Clock::now() < until && reader->Read(&event)) {
      if (!event.has_motion()) continue;
      EXPECT_EQ(event.camera_id(), "cam-1");
      EXPECT_EQ(event.motion().source_id(), "0");
      return event.motion().active();
    }
    return std::nullopt;
  };
  EXPECT_EQ(next_motion(), false);  // The first record: level 3, threshold 20.
  axis_.SetMotion(true);
  EXPECT_EQ(next_motion(), true);
  const auto targets = Targets();
  EXPECT_EQ(std::count(targets.begin(), targets.end(), "/axis-cgi/motion/motiondata.cgi?group=0"),
            1);

  // The camera ends the stream: the adapter reads it again (after 1 s), and reports only the
  // change that happened meanwhile.
  axis_.EndMotionStreams();
  axis_.SetMotion(false);
  EXPECT_EQ(next_motion(), false);
  const auto again = Targets();
  EXPECT_EQ(std::count(again.begin(), again.end(), "/axis-cgi/motion/motiondata.cgi?group=0"), 1);

  context.TryCancel();
  v1::Event event;
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(VapixServiceTest, TimeIsTheCamerasLocalClockConvertedToUtc) {
  grpc::ClientContext context;
  v1::SystemTime time;
  ASSERT_TRUE(stub_->GetSystemTime(&context, Ref(), &time).ok());
  // Jul 24, 2013 19:19:17 in CET-1 (UTC+1).
  EXPECT_EQ(time.utc_time().seconds(), 1374693557 - 3600);
  EXPECT_EQ(time.posix_timezone(), "CET-1");
  EXPECT_FALSE(time.ntp_synchronized());
  Targets();

  grpc::ClientContext set_context;
  v1::SetSystemTimeRequest set;
  set.set_camera_id("cam-1");
  set.mutable_utc_time()->set_seconds(1709622489);  // 2024-03-05T07:08:09Z
  set.set_posix_timezone("<+0530>-5:30");
  ASSERT_TRUE(stub_->SetSystemTime(&set_context, set, &time).ok());
  EXPECT_EQ(time.utc_time().seconds(), 1709622489);
  EXPECT_EQ(time.posix_timezone(), "<+0530>-5:30");
  EXPECT_EQ(Targets(), (std::vector<std::string>{
                           "/axis-cgi/param.cgi?action=list&group=Time",
                           "/axis-cgi/date.cgi?action=set&year=2024&month=3&day=5&hour=12&"
                           "minute=38&second=9&timezone=%3C%2B0530%3E-5%3A30"}));

  // A zone with daylight saving cannot be converted yet: refused, nothing sent.
  grpc::ClientContext dst_context;
  set.set_posix_timezone("CET-1CEST,M3.5.0,M10.5.0/3");
  grpc::Status dst = stub_->SetSystemTime(&dst_context, set, &time);
  EXPECT_EQ(dst.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(dst.error_message().find("daylight saving"), std::string::npos);
  EXPECT_EQ(Targets(), std::vector<std::string>{"/axis-cgi/param.cgi?action=list&group=Time"});

  axis_.Override("/axis-cgi/date.cgi", [](const ReceivedRequest&) {
    return Plain(Text({"Request failed: bad timezone"}));
  });
  grpc::ClientContext refused_context;
  set.set_posix_timezone("");
  grpc::Status refused = stub_->SetSystemTime(&refused_context, set, &time);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message(),
            "camera cam-1 refused the new date: Request failed: bad timezone");
}

TEST_F(VapixServiceTest, ACameraAnsweringErrorGivesAnErrorStatus) {
  axis_.Override("/axis-cgi/param.cgi", [](const ReceivedRequest&) {
    return Plain(Text({"# Error: Error -1 getting param in group 'Brand'",
                       "# Error: Error -1 getting param in group 'Properties'"}));
  });
  v1::DeviceInformation info;
  grpc::Status status = DeviceInformation(&info);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "camera cam-1 refused to list the Properties group: Error -1 getting param in group "
            "'Properties'");
  // Describe still answers, from the config.
  v1::DescribeResponse described;
  ASSERT_TRUE(Describe(&described).ok());
  EXPECT_FALSE(described.cameras(0).capabilities().ptz());
}

TEST_F(VapixServiceTest, ASilentCameraGivesDeadlineExceededWithinTheTimeout) {
  Start(Replace(kConfig, "request_timeout_ms: 1000", "request_timeout_ms: 300"));
  axis_.Override("/axis-cgi/param.cgi", [](const ReceivedRequest&) {
    Reply reply;
    reply.stall = true;
    return reply;
  });
  const auto start = Clock::now();
  v1::DeviceInformation info;
  grpc::Status status = DeviceInformation(&info);
  const auto took = Clock::now() - start;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_NE(status.error_message().find("camera cam-1 did not answer within 300 ms"),
            std::string::npos)
      << status.error_message();
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(1500));
  // Describe answers within its budget all the same.
  v1::DescribeResponse described;
  EXPECT_TRUE(Describe(&described).ok());
}

TEST_F(VapixServiceTest, WrongCredentialsNameTheUserNotThePassword) {
  http_->Stop();
  http_ = std::make_unique<ScriptedHttpServer>([](const ReceivedRequest&) {
    return Reply{HttpReply(401, "Unauthorized",
                           {"WWW-Authenticate: Digest realm=\"AXIS_ACCC8E012345\", "
                            "nonce=\"0123456789abcdef\", algorithm=MD5, qop=\"auth\""})};
  });
  Start(kConfig);
  v1::DeviceInformation info;
  grpc::Status status = DeviceInformation(&info);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("camera cam-1 refused the credentials of user 'root'"),
            std::string::npos)
      << status.error_message();
  EXPECT_EQ(status.error_message().find("p@ss"), std::string::npos);
  EXPECT_EQ(status.error_message().find(kPassword), std::string::npos);
  // The adapter answered the challenge with Digest, never Basic.
  const auto requests = http_->requests();
  ASSERT_GE(requests.size(), 2U);
  EXPECT_EQ(requests[1].authorization.rfind("Digest ", 0), 0U);
}

TEST_F(VapixServiceTest, RebootFactoryDefaultAndSystemLog) {
  Warm();
  grpc::ClientContext reboot_context;
  v1::RebootResponse reboot;
  ASSERT_TRUE(stub_->Reboot(&reboot_context, Ref(), &reboot).ok());
  EXPECT_EQ(Targets(), std::vector<std::string>{"/axis-cgi/restart.cgi"});

  grpc::ClientContext hard_context;
  v1::FactoryDefaultRequest hard;
  hard.set_camera_id("cam-1");
  hard.set_hard(true);
  v1::FactoryDefaultResponse reset;
  grpc::Status refused = stub_->FactoryDefault(&hard_context, hard, &reset);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("hard_factory_default: true"), std::string::npos);
  EXPECT_TRUE(Targets().empty());

  grpc::ClientContext soft_context;
  v1::FactoryDefaultRequest soft;
  soft.set_camera_id("cam-1");
  ASSERT_TRUE(stub_->FactoryDefault(&soft_context, soft, &reset).ok());
  EXPECT_EQ(Targets(), std::vector<std::string>{"/axis-cgi/factorydefault.cgi"});
  ASSERT_EQ(reset.video_sources().sources_size(), 1);
  EXPECT_EQ(reset.video_sources().sources(0).streams_size(), 2);

  grpc::ClientContext log_context;
  v1::CameraLog log;
  ASSERT_TRUE(stub_->GetSystemLog(&log_context, Ref(), &log).ok());
  ASSERT_EQ(log.lines_size(), 2);
  EXPECT_EQ(log.lines(1), "2024-03-05T07:08:10.000+01:00 axis [ WARNING ] too warm");

  Start(std::string(kConfig) + "    hard_factory_default: true\n");
  grpc::ClientContext allowed_context;
  axis_.Override("/axis-cgi/hardfactorydefault.cgi",
                 [](const ReceivedRequest&) { return Plain(Text({"OK"})); });
  ASSERT_TRUE(stub_->FactoryDefault(&allowed_context, hard, &reset).ok());
  EXPECT_EQ(Targets().back(), "/axis-cgi/hardfactorydefault.cgi");
}

TEST_F(VapixServiceTest, FirmwareIsPostedOnceAsMultipart) {
  const std::string image = "AXIS firmware image version=6.50.1 " + std::string(1000, 'x');
  auto upgrade = [&](v1::FirmwareUpgradeResponse* response) {
    grpc::ClientContext context;
    auto writer = stub_->UpgradeFirmware(&context, response);
    v1::FirmwareChunk first;
    first.set_camera_id("cam-1");
    first.set_total_size(image.size());
    first.set_data(image.substr(0, 100));
    v1::FirmwareChunk rest;
    rest.set_data(image.substr(100));
    EXPECT_TRUE(writer->Write(first));
    EXPECT_TRUE(writer->Write(rest));
    EXPECT_TRUE(writer->WritesDone());
    return writer->Finish();
  };
  v1::FirmwareUpgradeResponse response;
  ASSERT_TRUE(upgrade(&response).ok());
  EXPECT_EQ(response.expected_downtime_seconds(), VapixService::kFirmwareUpgradeSeconds);
  auto requests = http_->requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/axis-cgi/firmwareupgrade.cgi?type=normal");
  EXPECT_NE(
      requests[0].body.find("Content-Type: application/octet-stream\r\n\r\n" + image + "\r\n--"),
      std::string::npos);
  EXPECT_EQ(requests[0].body.rfind("--onvifgw-", 0), 0U);

  // An older camera drops the connection once the image is in: flashing has started.
  axis_.Override("/axis-cgi/firmwareupgrade.cgi", [](const ReceivedRequest&) {
    Reply reply;
    reply.close = true;
    return reply;
  });
  ASSERT_TRUE(upgrade(&response).ok());
  EXPECT_EQ(http_->requests().size(), 2U);  // Sent once, never again.

  // The camera refuses the image: INVALID_ARGUMENT with its words.
  axis_.Override("/axis-cgi/firmwareupgrade.cgi", [](const ReceivedRequest&) {
    return Plain(Text({"Error: the firmware is for another product"}));
  });
  grpc::Status refused = upgrade(&response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("another product"), std::string::npos);
}

TEST_F(VapixServiceTest, EventsReportTheDigitalInputsFirstStateAndChanges) {
  grpc::ClientContext context;
  v1::StreamEventsRequest request;
  auto reader = stub_->StreamEvents(&context, request);
  v1::Event event;
  // The facts are learnt now (nobody described the camera yet): a FactsChanged comes too.
  bool told_facts = false;
  std::optional<bool> input;
  const auto until = Clock::now() + kFailsafe;
  while ((!input || !told_facts) && Clock::now() < until && reader->Read(&event)) {
    if (event.has_facts_changed()) told_facts = true;
    if (event.has_digital_input()) {
      EXPECT_EQ(event.camera_id(), "cam-1");
      EXPECT_EQ(event.digital_input().input_id(), "input-1");
      input = event.digital_input().active();
    }
  }
  EXPECT_TRUE(told_facts);
  ASSERT_EQ(input, false);
  axis_.SetPortActive("1", true);
  do {
    ASSERT_TRUE(reader->Read(&event));
  } while (event.has_motion());  // The motion data's first state comes in between.
  ASSERT_TRUE(event.has_digital_input());
  EXPECT_TRUE(event.digital_input().active());
  const auto targets = Targets();
  EXPECT_NE(std::find(targets.begin(), targets.end(), "/axis-cgi/io/port.cgi?checkactive=1"),
            targets.end());
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);

  // The poller stops with the last stream: nothing is polled any more.
  std::this_thread::sleep_for(EventHub::kPollPeriod * 3);
  Targets();
  std::this_thread::sleep_for(EventHub::kPollPeriod * 2);
  EXPECT_TRUE(Targets().empty());
}

TEST_F(VapixServiceTest, FactsLearntAfterDescribeAreAnnounced) {
  axis_.Override("/axis-cgi/param.cgi", [](const ReceivedRequest&) { return Plain("busy", 503); });
  v1::DescribeResponse described;
  ASSERT_TRUE(Describe(&described).ok());
  EXPECT_FALSE(described.cameras(0).capabilities().ptz());  // Not known yet.
  axis_.Override("/axis-cgi/param.cgi", nullptr);
  grpc::ClientContext context;
  v1::StreamEventsRequest request;
  request.add_camera_ids("cam-1");
  auto reader = stub_->StreamEvents(&context, request);
  v1::Event event;
  bool told_facts = false;
  const auto until = Clock::now() + kFailsafe;
  while (!told_facts && Clock::now() < until && reader->Read(&event)) {
    told_facts = event.has_facts_changed();
  }
  EXPECT_TRUE(told_facts);
  ASSERT_TRUE(Describe(&described).ok());
  EXPECT_TRUE(described.cameras(0).capabilities().ptz());
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
}

TEST_F(VapixServiceTest, RejectsUnknownCamerasAndNodes) {
  grpc::ClientContext context;
  v1::DeviceInformation info;
  EXPECT_EQ(stub_->GetDeviceInformation(&context, Ref("cam-9"), &info).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext empty_context;
  EXPECT_EQ(stub_->GetDeviceInformation(&empty_context, Ref(""), &info).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext events_context;
  v1::StreamEventsRequest events;
  events.add_camera_ids("cam-9");
  auto reader = stub_->StreamEvents(&events_context, events);
  v1::Event event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace onvifgw::vapix

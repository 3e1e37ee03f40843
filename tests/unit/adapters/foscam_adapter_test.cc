// The Foscam adapter served in-process and called through a real gRPC stub; each camera is a
// ScriptedHttpServer on loopback whose handler plays a classic Foscam (FI8918W) CGI server:
// `var` replies, `ok.` / `error: illegal params.` with HTTP 200, 401 without a challenge,
// Connection: close after every reply.

#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/foscam/foscam_config.h"
#include "adapters/foscam/foscam_service.h"
#include "adapters/sdk/http_auth.h"
#include "scripted_http_server.h"

namespace onvifgw::foscam {
namespace {

namespace v1 = onvifgw::adapter::v1;
using onvifgw::testing::HttpReply;
using onvifgw::testing::ReceivedRequest;
using onvifgw::testing::Reply;
using onvifgw::testing::ScriptedHttpServer;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Upper bound for anything the test waits for: only reached when the code under test is broken.
constexpr milliseconds kFailsafe{10000};

const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "picture" + "\xFF\xD9";

std::string UrlDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// A classic Foscam camera behind a ScriptedHttpServer.
class FakeFoscam {
 public:
  FakeFoscam(std::string user, std::string password)
      : user_(std::move(user)),
        password_(std::move(password)),
        server_([this](const ReceivedRequest& request) { return Handle(request); }) {}

  uint16_t port() const { return server_.port(); }
  void Stop() { server_.Stop(); }

  // Every request target (path and query) received, in order.
  std::vector<std::string> Targets() const {
    std::vector<std::string> targets;
    for (const ReceivedRequest& request : server_.requests()) targets.push_back(request.target);
    return targets;
  }
  // The targets that start with `/cgi`.
  std::vector<std::string> Targets(const std::string& cgi) const {
    std::vector<std::string> targets;
    for (const std::string& target : Targets()) {
      if (target.rfind("/" + cgi, 0) == 0) targets.push_back(target);
    }
    return targets;
  }
  std::vector<ReceivedRequest> Requests() const { return server_.requests(); }

  // Waits until `cgi` has been requested `count` times in all.
  bool WaitForHits(const std::string& cgi, int count) {
    std::unique_lock lock(mutex_);
    return wakeup_.wait_for(lock, kFailsafe, [&] { return hits_[cgi] >= count; });
  }

  std::atomic<int> alarm_status{0};
  std::atomic<int> motion_armed{0};
  std::atomic<int> input_armed{1};
  std::atomic<bool> silent{false};
  std::atomic<bool> crlf{false};

  void SetFailure(const std::string& cgi, std::string body) {
    std::lock_guard lock(mutex_);
    failures_[cgi] = std::move(body);
  }
  void ClearFailure(const std::string& cgi) {
    std::lock_guard lock(mutex_);
    failures_.erase(cgi);
  }
  void SetSnapshot(std::string type, std::string body) {
    std::lock_guard lock(mutex_);
    snapshot_type_ = std::move(type);
    snapshot_ = std::move(body);
  }
  int brightness() const {
    std::lock_guard lock(mutex_);
    return brightness_;
  }
  int64_t tz() const {
    std::lock_guard lock(mutex_);
    return tz_;
  }

 private:
  static Reply Text(int status, const std::string& body) {
    Reply reply(HttpReply(status, body,
                          {"Server: Netwave IP Camera", "Content-Type: text/plain",
                           "Cache-Control: no-cache", "Connection: close"}));
    reply.close = true;
    return reply;
  }
  static Reply Ok() { return Text(200, "ok.\r\n"); }
  static Reply Illegal() { return Text(200, "error: illegal params.\r\n"); }

  std::string Vars(const std::vector<std::pair<std::string, std::string>>& vars) const {
    std::string body;
    for (const auto& [name, value] : vars) {
      body += "var " + name + "=" + value + ";" + (crlf ? "\r\n" : "\n");
    }
    return body;
  }

  Reply Handle(const ReceivedRequest& request) {
    if (silent) {
      Reply hang;
      hang.stall = true;
      return hang;
    }
    const size_t question = request.target.find('?');
    const std::string path =
        request.target.substr(1, question == std::string::npos ? std::string::npos : question - 1);
    std::map<std::string, std::string> query;
    if (question != std::string::npos) {
      std::string_view rest = std::string_view(request.target).substr(question + 1);
      while (!rest.empty()) {
        const size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        const size_t eq = pair.find('=');
        query[UrlDecode(pair.substr(0, eq))] =
            eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      }
    }
    Reply reply = Answer(path, query, request.authorization);
    {
      std::lock_guard lock(mutex_);
      ++hits_[path];
    }
    wakeup_.notify_all();
    return reply;
  }

  Reply Answer(const std::string& path, std::map<std::string, std::string>& query,
               const std::string& authorization) {
    const bool query_login =
        query["user"] == user_ && query.contains("pwd") && query["pwd"] == password_;
    const bool basic_login = authorization == adapter_sdk::BasicAuthorization({user_, password_});
    // The Netwave server answers 401 without a challenge.
    if (!query_login && !basic_login) return Text(401, "401 Unauthorized");
    std::lock_guard lock(mutex_);
    if (auto failure = failures_.find(path); failure != failures_.end()) {
      return Text(200, failure->second);
    }
    auto number = [&query](const std::string& name, int64_t* value) {
      if (!query.contains(name)) return false;
      try {
        *value = std::stoll(query[name]);
      } catch (const std::exception&) {
        return false;
      }
      return true;
    };
    if (path == "get_status.cgi") {
      return Text(200, Vars({{"id", "'000DC5D4DC51'"},
                             {"sys_ver", "'11.22.2.38'"},
                             {"app_ver", "'2.4.18.17'"},
                             {"alias", "'R2D2'"},
                             {"now", std::to_string(now_)},
                             {"tz", std::to_string(tz_)},
                             {"alarm_status", std::to_string(alarm_status.load())},
                             {"ddns_status", "0"},
                             {"ddns_host", "''"}}));
    }
    if (path == "get_params.cgi") {
      return Text(200, Vars({{"alias", "'R2D2'"},
                             {"alarm_motion_armed", std::to_string(motion_armed.load())},
                             {"alarm_motion_sensitivity", "5"},
                             {"alarm_input_armed", std::to_string(input_armed.load())},
                             {"alarm_ioin_level", "0"}}));
    }
    if (path == "set_alarm.cgi") {
      int64_t value = 0;
      if (number("motion_armed", &value)) motion_armed = static_cast<int>(value);
      if (number("input_armed", &value)) input_armed = static_cast<int>(value);
      return Ok();
    }
    if (path == "get_camera_params.cgi") {
      return Text(200, Vars({{"resolution", "32"},
                             {"brightness", std::to_string(brightness_)},
                             {"contrast", std::to_string(contrast_)},
                             {"mode", "0"},
                             {"flip", "0"},
                             {"fps", "0"}}));
    }
    if (path == "camera_control.cgi") {
      int64_t param = 0;
      int64_t value = 0;
      if (!number("param", &param) || !number("value", &value)) return Illegal();
      if (param == 1 && value >= 0 && value <= 255) {
        brightness_ = static_cast<int>(value);
      } else if (param == 2 && value >= 0 && value <= 6) {
        contrast_ = static_cast<int>(value);
      } else {
        return Illegal();
      }
      return Ok();
    }
    if (path == "decoder_control.cgi") {
      int64_t command = 0;
      if (!number("command", &command) || command < 0 || command > 255) return Illegal();
      return Ok();
    }
    if (path == "set_datetime.cgi") {
      int64_t now = 0;
      int64_t tz = 0;
      int64_t ntp = 0;
      if (!number("now", &now) || !number("tz", &tz) || !number("ntp_enable", &ntp) ||
          tz < -50400 || tz > 43200) {
        return Illegal();
      }
      now_ = now;
      tz_ = tz;
      return Ok();
    }
    if (path == "reboot.cgi" || path == "restore_factory.cgi") return Ok();
    if (path == "get_log.cgi") {
      return Text(200,
                  "Mon, 2024-01-01 10:00:00  admin  192.0.2.1  access\r\n"
                  "Mon, 2024-01-01 10:05:00  admin  192.0.2.1  access\r\n");
    }
    if (path == "snapshot.cgi") {
      Reply reply(HttpReply(
          200, snapshot_,
          {"Server: Netwave IP Camera", "Content-Type: " + snapshot_type_, "Connection: close"}));
      reply.close = true;
      return reply;
    }
    return Text(404, "404 Not Found");
  }

  const std::string user_;
  const std::string password_;
  mutable std::mutex mutex_;
  std::condition_variable wakeup_;
  std::map<std::string, int> hits_;
  std::map<std::string, std::string> failures_;
  int brightness_ = 128;
  int contrast_ = 4;
  int64_t now_ = 1'700'000'000;
  int64_t tz_ = 18000;
  std::string snapshot_type_ = "image/jpeg";
  std::string snapshot_ = kJpeg;
  ScriptedHttpServer server_;  // Last: stopped first, while the state above is alive.
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// ------------------------------------------------------------------------------------ Config

constexpr const char* kGoodConfig = R"(cameras:
  - id: garden
    label: Garden
    host: 192.0.2.30
    port: 81
    user: admin
    password: secret
    credentials_in_query: false
    request_timeout_ms: 2500
    attempts: 3
    invert_pan: true
    ir_on_code: 94
    ptz: true
    zoom: true
    presets: 16
    events_poll_ms: 500
    manufacturer: Wansview
    model: NCB541W
    allow_factory_default: true
    input: true
    relay: true
    arm_alarms: false
  - id: hall.2
    host: fe80::1
    user: viewer
)";

TEST(FoscamConfig, ParsesAGoodConfigWithItsDefaults) {
  auto config = ParseFoscamConfig(YAML::Load(kGoodConfig));
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->cameras.size(), 2U);
  const CameraConfig& one = config->cameras[0];
  EXPECT_EQ(one.id, "garden");
  EXPECT_EQ(one.label, "Garden");
  EXPECT_EQ(one.host, "192.0.2.30");
  EXPECT_EQ(one.port, 81);
  EXPECT_EQ(one.user, "admin");
  EXPECT_EQ(one.password, "secret");
  EXPECT_FALSE(one.credentials_in_query);
  EXPECT_EQ(one.request_timeout, milliseconds(2500));
  EXPECT_EQ(one.attempts, 3U);
  EXPECT_TRUE(one.invert_pan);
  EXPECT_EQ(one.ir_on_code, 94U);
  EXPECT_EQ(one.IrOffCode(), 95U);
  EXPECT_TRUE(one.ptz);
  EXPECT_TRUE(one.zoom);
  EXPECT_EQ(one.presets, 16U);
  EXPECT_EQ(one.events_poll, milliseconds(500));
  EXPECT_EQ(one.manufacturer, "Wansview");
  EXPECT_EQ(one.model, "NCB541W");
  EXPECT_TRUE(one.allow_factory_default);
  EXPECT_TRUE(one.input);
  EXPECT_TRUE(one.relay);
  EXPECT_FALSE(one.arm_alarms);

  const CameraConfig& two = config->cameras[1];
  EXPECT_EQ(two.label, "hall.2");
  EXPECT_EQ(two.host, "fe80::1");
  EXPECT_EQ(two.port, 80);
  EXPECT_EQ(two.password, "");  // The factory admin has none.
  EXPECT_TRUE(two.credentials_in_query);
  EXPECT_EQ(two.request_timeout, milliseconds(4000));
  EXPECT_EQ(two.attempts, 2U);
  EXPECT_FALSE(two.invert_pan);
  EXPECT_EQ(two.ir_on_code, 95U);
  EXPECT_EQ(two.IrOffCode(), 94U);
  EXPECT_TRUE(two.ptz);
  EXPECT_FALSE(two.zoom);
  EXPECT_EQ(two.presets, 8U);
  EXPECT_EQ(two.events_poll, milliseconds(1000));
  EXPECT_EQ(two.manufacturer, "Foscam");
  EXPECT_EQ(two.model, "FI8918W");
  EXPECT_FALSE(two.allow_factory_default);
  EXPECT_FALSE(two.input);
  EXPECT_FALSE(two.relay);
  EXPECT_TRUE(two.arm_alarms);
}

TEST(FoscamConfig, RejectsBadValuesNamingTheirPosition) {
  const std::string camera = "cameras:\n  - id: cam\n    host: 192.0.2.1\n    user: admin\n";
  struct BadConfig {
    const char* name;
    std::string yaml;
    std::string expected;  // A part of the message, with the position of the offending node.
  };
  const std::vector<BadConfig> cases = {
      {"unknown top-level key", "colour: red\n" + camera,
       "colour (line 1, column 1): unknown key \"colour\""},
      {"no cameras", "cameras: []\n", "cameras (line 1, column 10): must list at least one camera"},
      {"no section", "", "cameras: must list at least one camera"},
      {"unknown camera key", camera + "    speed: 3\n",
       "cameras[0].speed (line 5, column 5): unknown key \"speed\""},
      {"no id", "cameras:\n  - {host: h, user: u}\n",
       "cameras[0].id (line 2, column 5): is required"},
      {"bad id", "cameras:\n  - {id: \"a b\", host: h, user: u}\n",
       "cameras[0].id (line 2, column 10): may contain only letters, digits"},
      {"no host", "cameras:\n  - {id: a, user: u}\n",
       "cameras[0].host (line 2, column 5): is required"},
      {"bad host", "cameras:\n  - {id: a, host: \"http://x\", user: u}\n",
       "cameras[0].host (line 2, column 19): must be a host name or an address"},
      {"no user", "cameras:\n  - {id: a, host: h}\n",
       "cameras[0].user (line 2, column 5): is required"},
      {"user with a colon", "cameras:\n  - {id: a, host: h, user: \"a:b\"}\n",
       "cameras[0].user (line 2, column 28): may contain only printable ASCII characters without "
       "spaces and ':'"},
      {"password control", camera + "    password: \"a\\tb\"\n",
       "cameras[0].password (line 5, column 15): may contain only printable ASCII"},
      {"port", camera + "    port: 70000\n",
       "cameras[0].port (line 5, column 11): must be between 1 and 65535, got 70000"},
      {"timeout low", camera + "    request_timeout_ms: 99\n",
       "cameras[0].request_timeout_ms (line 5, column 25): must be between 100 and 30000"},
      {"timeout high", camera + "    request_timeout_ms: 30001\n",
       "cameras[0].request_timeout_ms (line 5,"},
      {"attempts", camera + "    attempts: 6\n",
       "cameras[0].attempts (line 5, column 15): must be between 1 and 5"},
      {"ir code", camera + "    ir_on_code: 93\n",
       "cameras[0].ir_on_code (line 5, column 17): must be 94 or 95"},
      {"presets 0", camera + "    presets: 0\n",
       "cameras[0].presets (line 5, column 14): must be between 1 and 16"},
      {"presets 17", camera + "    presets: 17\n", "cameras[0].presets (line 5,"},
      {"poll", camera + "    events_poll_ms: 100\n",
       "cameras[0].events_poll_ms (line 5, column 21): must be between 200 and 10000"},
      {"bool", camera + "    invert_pan: sometimes\n",
       "cameras[0].invert_pan (line 5, column 17): expected true or false, got \"sometimes\""},
      {"zoom", camera + "    zoom: 2\n", "cameras[0].zoom (line 5,"},
      {"factory default", camera + "    allow_factory_default: maybe\n",
       "cameras[0].allow_factory_default (line 5,"},
      {"duplicate id", camera + "  - id: cam\n    host: 192.0.2.2\n    user: admin\n",
       "cameras[1].id (line 5, column 9): duplicate camera id \"cam\" (first defined at line 2, "
       "column 9)"},
      {"duplicate camera",
       camera + "  - id: cam-2\n    host: 192.0.2.1\n    port: 80\n    user: admin\n",
       "cameras[1].host (line 6, column 11): duplicate camera 192.0.2.1:80 (first defined at line "
       "3, column 11)"},
      {"camera not a map", "cameras:\n  - garden\n",
       "cameras[0] (line 2, column 5): expected a map with at least an id, a host and a user"},
  };
  for (const BadConfig& bad : cases) {
    auto config = ParseFoscamConfig(YAML::Load(bad.yaml));
    ASSERT_FALSE(config.ok()) << bad.name;
    EXPECT_NE(config.error().message.find(bad.expected), std::string::npos)
        << bad.name << ": " << config.error().message;
  }
}

// The sample gateway config ships an adapter section that this adapter accepts.
TEST(FoscamConfig, SampleGatewayConfigSectionParses) {
  const std::filesystem::path sample =
      std::filesystem::path(__FILE__).parent_path() / "../../../config/foscam.yaml";
  YAML::Node root = YAML::LoadFile(sample.string());
  int found = 0;
  for (const YAML::Node& adapter : root["adapters"]) {
    if (adapter["exec"].as<std::string>() != "onvif-adapter-foscam") continue;
    auto config = ParseFoscamConfig(adapter["config"]);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_GE(config->cameras.size(), 1U);
    // Every device of the sample names a camera of this adapter.
    std::set<std::string> ids;
    for (const CameraConfig& camera : config->cameras) ids.insert(camera.id);
    for (const YAML::Node& device : root["devices"]) {
      if (device["adapter"].as<std::string>() != adapter["id"].as<std::string>()) continue;
      EXPECT_TRUE(ids.contains(device["camera"].as<std::string>()));
    }
    ++found;
  }
  EXPECT_EQ(found, 1);
}

// ----------------------------------------------------------------------------------- Service

class FoscamServiceTest : public ::testing::Test {
 protected:
  // garden: an FI8918W with everything on; hall: Basic only (firmware 11.37+), IR on 94, no
  // zoom, no input, no factory default, a password that needs percent-encoding.
  static constexpr const char* kConfig = R"(cameras:
  - id: garden
    label: Garden
    host: 127.0.0.1
    port: {port1}
    user: admin
    password: secret
    invert_pan: true
    zoom: true
    presets: 4
    events_poll_ms: 200
    request_timeout_ms: 1500
    allow_factory_default: true
    input: true
    relay: true
  - id: hall
    host: 127.0.0.1
    port: {port2}
    user: operator
    password: "p@ss w:rd"
    credentials_in_query: false
    ir_on_code: 94
    request_timeout_ms: 1500
)";

  void SetUp() override { Start(kConfig); }

  void Start(const std::string& yaml) {
    StopService();
    const std::string text = Replace(Replace(yaml, "{port1}", std::to_string(garden_.port())),
                                     "{port2}", std::to_string(hall_.port()));
    auto config = ParseFoscamConfig(YAML::Load(text));
    ASSERT_TRUE(config.ok()) << config.error().message;
    service_ = std::make_unique<FoscamService>(std::move(config).value());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::Adapter::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }

  void StopService() {
    if (server_) {
      service_->BeginShutdown();
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
      server_.reset();
    }
    service_.reset();
  }
  void TearDown() override { StopService(); }

  // The target the garden camera receives for `cgi_and_query` (credentials in the query).
  static std::string Garden(const std::string& cgi_and_query) {
    return "/" + cgi_and_query + (cgi_and_query.find('?') == std::string::npos ? "?" : "&") +
           "user=admin&pwd=secret";
  }

  grpc::Status Continuous(const std::string& camera, std::optional<std::pair<float, float>> pt,
                          std::optional<float> zoom = std::nullopt) {
    grpc::ClientContext context;
    v1::ContinuousMovePtzRequest request;
    request.set_camera_id(camera);
    request.set_node_id("0");
    if (pt) {
      request.mutable_velocity()->mutable_pan_tilt()->set_x(pt->first);
      request.mutable_velocity()->mutable_pan_tilt()->set_y(pt->second);
    }
    if (zoom) request.mutable_velocity()->mutable_zoom()->set_x(*zoom);
    v1::PtzMoveResponse response;
    return stub_->ContinuousMovePtz(&context, request, &response);
  }
  grpc::Status StopPtz(const std::string& camera, bool pan_tilt, bool zoom) {
    grpc::ClientContext context;
    v1::StopPtzRequest request;
    request.set_camera_id(camera);
    request.set_node_id("0");
    request.set_pan_tilt(pan_tilt);
    request.set_zoom(zoom);
    v1::PtzMoveResponse response;
    return stub_->StopPtz(&context, request, &response);
  }
  grpc::Status Preset(const std::string& what, uint32_t slot,
                      const std::string& camera = "garden") {
    grpc::ClientContext context;
    v1::PtzMoveResponse response;
    if (what == "goto") {
      v1::GotoPtzPresetRequest request;
      request.set_camera_id(camera);
      request.set_node_id("0");
      request.set_slot(slot);
      return stub_->GotoPtzPreset(&context, request, &response);
    }
    v1::PtzPresetRequest request;
    request.set_camera_id(camera);
    request.set_node_id("0");
    request.set_slot(slot);
    return what == "set" ? stub_->SetPtzPreset(&context, request, &response)
                         : stub_->RemovePtzPreset(&context, request, &response);
  }
  grpc::Status PtzStatus(v1::PtzStatus* status) {
    grpc::ClientContext context;
    v1::PtzNodeRef request;
    request.set_camera_id("garden");
    request.set_node_id("0");
    return stub_->GetPtzStatus(&context, request, status);
  }
  grpc::Status Aux(const std::string& camera, const std::string& command) {
    grpc::ClientContext context;
    v1::AuxiliaryCommandRequest request;
    request.set_camera_id(camera);
    request.set_command(command);
    v1::AuxiliaryCommandResponse response;
    return stub_->SendAuxiliaryCommand(&context, request, &response);
  }
  grpc::Status DeviceInformation(const std::string& camera, v1::DeviceInformation* info) {
    grpc::ClientContext context;
    v1::CameraRef request;
    request.set_camera_id(camera);
    return stub_->GetDeviceInformation(&context, request, info);
  }
  grpc::Status SetImaging(const v1::ImagingSettings& settings, v1::ImagingSettings* now) {
    grpc::ClientContext context;
    v1::SetImagingSettingsRequest request;
    request.set_camera_id("garden");
    request.set_imaging_id("0");
    *request.mutable_settings() = settings;
    return stub_->SetImagingSettings(&context, request, now);
  }
  grpc::Status SetTime(int64_t seconds, const std::string& zone, v1::SystemTime* time) {
    grpc::ClientContext context;
    v1::SetSystemTimeRequest request;
    request.set_camera_id("garden");
    request.mutable_utc_time()->set_seconds(seconds);
    request.set_posix_timezone(zone);
    return stub_->SetSystemTime(&context, request, time);
  }

  FakeFoscam garden_{"admin", "secret"};
  FakeFoscam hall_{"operator", "p@ss w:rd"};
  std::unique_ptr<FoscamService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Adapter::Stub> stub_;
};

std::set<std::string> ClaimedCapabilities(const v1::Capabilities& capabilities) {
  std::set<std::string> claimed;
  const google::protobuf::Descriptor* descriptor = capabilities.GetDescriptor();
  const google::protobuf::Reflection* reflection = capabilities.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (reflection->GetBool(capabilities, field)) claimed.insert(std::string(field->name()));
  }
  return claimed;
}

TEST_F(FoscamServiceTest, DescribeClaimsWhatEachCameraCanDo) {
  grpc::ClientContext context;
  v1::DescribeResponse response;
  ASSERT_TRUE(stub_->Describe(&context, v1::DescribeRequest(), &response).ok());
  EXPECT_EQ(response.api_version(), 1U);
  EXPECT_EQ(response.adapter_name(), "foscam");
  ASSERT_EQ(response.cameras_size(), 2);
  const v1::CameraDescription& garden = response.cameras(0);
  EXPECT_EQ(garden.camera_id(), "garden");
  EXPECT_EQ(garden.label(), "Garden");
  EXPECT_EQ(ClaimedCapabilities(garden.capabilities()),
            (std::set<std::string>{"device_information", "system_time", "set_system_time", "reboot",
                                   "video_sources", "snapshot", "events", "factory_default",
                                   "auxiliary_commands", "system_log", "ptz", "digital_inputs",
                                   "imaging", "relay_outputs"}));
  EXPECT_EQ(std::vector<std::string>(garden.auxiliary_commands().begin(),
                                     garden.auxiliary_commands().end()),
            (std::vector<std::string>{"tt:IRLamp|On", "tt:IRLamp|Off"}));
  const v1::CameraDescription& hall = response.cameras(1);
  EXPECT_EQ(hall.label(), "hall");
  EXPECT_EQ(ClaimedCapabilities(hall.capabilities()),
            (std::set<std::string>{"device_information", "system_time", "set_system_time", "reboot",
                                   "video_sources", "snapshot", "events", "auxiliary_commands",
                                   "system_log", "ptz", "imaging"}));
  // Describe is answered from the config alone.
  EXPECT_TRUE(garden_.Targets().empty());

  // adapters/INVENTORY.yaml lists what this adapter can claim: the garden camera claims all.
  const std::filesystem::path inventory =
      std::filesystem::path(__FILE__).parent_path() / "../../../adapters/INVENTORY.yaml";
  bool found = false;
  for (const YAML::Node& adapter : YAML::LoadFile(inventory.string())["adapters"]) {
    if (adapter["name"].as<std::string>() != "foscam") continue;
    found = true;
    EXPECT_EQ(adapter["executable"].as<std::string>(), "onvif-adapter-foscam");
    EXPECT_EQ(adapter["api_version"].as<int>(), 1);
    std::set<std::string> features;
    for (const YAML::Node& feature : adapter["features"])
      features.insert(feature.as<std::string>());
    EXPECT_EQ(features, ClaimedCapabilities(garden.capabilities()));
  }
  EXPECT_TRUE(found) << "foscam is missing from " << inventory;
}

TEST_F(FoscamServiceTest, UnknownCamerasAndMissingIds) {
  v1::DeviceInformation info;
  EXPECT_EQ(DeviceInformation("", &info).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status unknown = DeviceInformation("nope", &info);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(unknown.error_message(), "no camera \"nope\"");
}

TEST_F(FoscamServiceTest, DeviceInformationFromGetStatus) {
  v1::DeviceInformation info;
  ASSERT_TRUE(DeviceInformation("garden", &info).ok());
  EXPECT_EQ(info.manufacturer(), "Foscam");
  EXPECT_EQ(info.model(), "FI8918W");
  EXPECT_EQ(info.firmware_version(), "11.22.2.38");
  EXPECT_EQ(info.serial_number(), "000DC5D4DC51");
  EXPECT_EQ(info.hardware_id(), "FI8918W");
  // Credentials both ways on the garden camera; Basic only on the hall camera (11.37+).
  std::vector<ReceivedRequest> requests = garden_.Requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].target, "/get_status.cgi?user=admin&pwd=secret");
  EXPECT_EQ(requests[0].authorization, adapter_sdk::BasicAuthorization({"admin", "secret"}));

  garden_.crlf = true;  // CRLF line ends read the same.
  ASSERT_TRUE(DeviceInformation("garden", &info).ok());
  EXPECT_EQ(info.serial_number(), "000DC5D4DC51");

  ASSERT_TRUE(DeviceInformation("hall", &info).ok());
  requests = hall_.Requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].target, "/get_status.cgi");
  EXPECT_EQ(requests[0].authorization, adapter_sdk::BasicAuthorization({"operator", "p@ss w:rd"}));
  // One connection per request: the camera closes after every reply.
  ASSERT_TRUE(DeviceInformation("hall", &info).ok());
  requests = hall_.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_NE(requests[0].connection, requests[1].connection);
}

TEST_F(FoscamServiceTest, VideoSourcesDescribeTheMjpegStream) {
  grpc::ClientContext context;
  v1::CameraRef request;
  request.set_camera_id("garden");
  v1::VideoSourceList sources;
  ASSERT_TRUE(stub_->ListVideoSources(&context, request, &sources).ok());
  ASSERT_EQ(sources.sources_size(), 1);
  const v1::VideoSource& source = sources.sources(0);
  EXPECT_EQ(source.source_id(), "0");
  EXPECT_EQ(source.resolution().width(), 640U);
  EXPECT_EQ(source.resolution().height(), 480U);
  ASSERT_EQ(source.streams_size(), 1);
  const v1::VideoStream& stream = source.streams(0);
  EXPECT_EQ(stream.stream_id(), "mjpeg");
  EXPECT_EQ(stream.codec(), v1::VIDEO_CODEC_JPEG);
  EXPECT_EQ(stream.transport(), v1::STREAM_TRANSPORT_MJPEG_HTTP);
  EXPECT_EQ(stream.resolution().width(), 640U);
  EXPECT_EQ(stream.uri(), "http://admin:secret@127.0.0.1:" + std::to_string(garden_.port()) +
                              "/videostream.cgi?resolution=32&rate=0&user=admin&pwd=secret");
  EXPECT_FALSE(stream.has_options());

  grpc::ClientContext hall_context;
  request.set_camera_id("hall");
  sources.Clear();
  ASSERT_TRUE(stub_->ListVideoSources(&hall_context, request, &sources).ok());
  EXPECT_EQ(sources.sources(0).streams(0).uri(),
            "http://operator:p%40ss%20w%3Ard@127.0.0.1:" + std::to_string(hall_.port()) +
                "/videostream.cgi?resolution=32&rate=0");
  // Facts from the config: no request.
  EXPECT_TRUE(garden_.Targets().empty());
  EXPECT_TRUE(hall_.Targets().empty());
}

TEST_F(FoscamServiceTest, SnapshotIsAJpegOrAnErrorWithTheCamerasText) {
  grpc::ClientContext context;
  v1::SnapshotRequest request;
  request.set_camera_id("garden");
  request.set_source_id("0");
  v1::Snapshot snapshot;
  ASSERT_TRUE(stub_->GetSnapshot(&context, request, &snapshot).ok());
  EXPECT_EQ(snapshot.jpeg(), kJpeg);
  EXPECT_GT(snapshot.taken_at().seconds(), 0);
  EXPECT_EQ(garden_.Targets(), (std::vector<std::string>{Garden("snapshot.cgi?resolution=32")}));

  garden_.SetSnapshot("text/html", "<html>Camera busy</html>");
  grpc::ClientContext busy_context;
  grpc::Status busy = stub_->GetSnapshot(&busy_context, request, &snapshot);
  EXPECT_EQ(busy.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(busy.error_message().find("<html>Camera busy</html>"), std::string::npos)
      << busy.error_message();

  garden_.SetSnapshot("image/jpeg", "not a picture");
  grpc::ClientContext bad_context;
  grpc::Status bad = stub_->GetSnapshot(&bad_context, request, &snapshot);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(bad.error_message().find("image/jpeg data that is not a JPEG"), std::string::npos)
      << bad.error_message();

  garden_.SetFailure("snapshot.cgi", "error: illegal params.\r\n");
  grpc::ClientContext refused_context;
  grpc::Status refused = stub_->GetSnapshot(&refused_context, request, &snapshot);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("error: illegal params."), std::string::npos);

  grpc::ClientContext other_context;
  request.set_source_id("1");
  EXPECT_EQ(stub_->GetSnapshot(&other_context, request, &snapshot).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(FoscamServiceTest, ContinuousMovesSendTheDominantDirectionMirroredOnTheFi8918w) {
  // garden has invert_pan: left is 6, right 4, diagonals 90<->91, 92<->93.
  ASSERT_TRUE(Continuous("garden", std::make_pair(-1.0f, 0.0f)).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(0.5f, 0.1f)).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(0.0f, 1.0f)).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(0.2f, -0.9f)).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(-0.7f, 0.7f)).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(0.7f, 0.7f)).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(-0.7f, -0.7f)).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(0.7f, -0.7f)).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(0.05f, -0.09f)).ok());  // Dead zone: stop.
  EXPECT_EQ(garden_.Targets(), (std::vector<std::string>{
                                   Garden("decoder_control.cgi?command=6"),
                                   Garden("decoder_control.cgi?command=4"),
                                   Garden("decoder_control.cgi?command=0"),
                                   Garden("decoder_control.cgi?command=2"),
                                   Garden("decoder_control.cgi?command=91"),
                                   Garden("decoder_control.cgi?command=90"),
                                   Garden("decoder_control.cgi?command=93"),
                                   Garden("decoder_control.cgi?command=92"),
                                   Garden("decoder_control.cgi?command=1"),
                               }));

  // hall: the SDK's codes, Basic only.
  ASSERT_TRUE(Continuous("hall", std::make_pair(-1.0f, 0.0f)).ok());
  ASSERT_TRUE(Continuous("hall", std::make_pair(1.0f, 0.0f)).ok());
  ASSERT_TRUE(Continuous("hall", std::make_pair(-0.7f, 0.7f)).ok());
  ASSERT_TRUE(Continuous("hall", std::make_pair(0.7f, -0.7f)).ok());
  ASSERT_TRUE(StopPtz("hall", true, true).ok());  // hall has no zoom: pan/tilt stop only.
  EXPECT_EQ(hall_.Targets(), (std::vector<std::string>{
                                 "/decoder_control.cgi?command=4",
                                 "/decoder_control.cgi?command=6",
                                 "/decoder_control.cgi?command=90",
                                 "/decoder_control.cgi?command=93",
                                 "/decoder_control.cgi?command=1",
                             }));
}

TEST_F(FoscamServiceTest, ZoomAndStops) {
  ASSERT_TRUE(StopPtz("garden", true, true).ok());  // No zoom direction yet: both stops.
  ASSERT_TRUE(Continuous("garden", std::nullopt, 0.5f).ok());
  ASSERT_TRUE(StopPtz("garden", false, true).ok());
  ASSERT_TRUE(Continuous("garden", std::nullopt, -1.0f).ok());
  ASSERT_TRUE(Continuous("garden", std::make_pair(0.0f, 0.0f), 0.0f).ok());
  ASSERT_TRUE(StopPtz("garden", false, false).ok());  // Nothing asked: nothing sent.
  EXPECT_EQ(garden_.Targets(), (std::vector<std::string>{
                                   Garden("decoder_control.cgi?command=1"),
                                   Garden("decoder_control.cgi?command=17"),
                                   Garden("decoder_control.cgi?command=19"),
                                   Garden("decoder_control.cgi?command=18"),
                                   Garden("decoder_control.cgi?command=19"),
                                   Garden("decoder_control.cgi?command=16"),
                                   Garden("decoder_control.cgi?command=1"),
                                   Garden("decoder_control.cgi?command=17"),
                               }));
}

TEST_F(FoscamServiceTest, MovesAreCheckedBeforeTheyAreSent) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  grpc::Status status = Continuous("garden", std::make_pair(nan, 0.0f));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "velocity.pan_tilt.x (pan) must be within [-1, 1], not nan");
  EXPECT_EQ(Continuous("garden", std::make_pair(0.0f, 1.5f)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Continuous("garden", std::nullopt, -2.0f).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Continuous("hall", std::nullopt, 0.5f).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // hall has no zoom.
  grpc::ClientContext context;
  v1::ContinuousMovePtzRequest request;
  request.set_camera_id("garden");
  request.set_node_id("1");
  v1::PtzMoveResponse response;
  EXPECT_EQ(stub_->ContinuousMovePtz(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Neither absolute nor relative moves: the camera has no position feedback.
  grpc::ClientContext absolute_context;
  v1::AbsoluteMovePtzRequest absolute;
  absolute.set_camera_id("garden");
  absolute.set_node_id("0");
  EXPECT_EQ(stub_->AbsoluteMovePtz(&absolute_context, absolute, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_TRUE(garden_.Targets().empty());
  EXPECT_TRUE(hall_.Targets().empty());
}

TEST_F(FoscamServiceTest, PtzNodeAndPresetsHomeAndStatus) {
  grpc::ClientContext context;
  v1::CameraRef camera;
  camera.set_camera_id("garden");
  v1::PtzNodeList nodes;
  ASSERT_TRUE(stub_->ListPtzNodes(&context, camera, &nodes).ok());
  ASSERT_EQ(nodes.nodes_size(), 1);
  const v1::PtzNode& node = nodes.nodes(0);
  EXPECT_EQ(node.node_id(), "0");
  EXPECT_EQ(node.source_id(), "0");
  EXPECT_TRUE(node.pan_tilt());
  EXPECT_TRUE(node.zoom());
  EXPECT_FALSE(node.absolute_move());
  EXPECT_FALSE(node.relative_move());
  EXPECT_EQ(std::vector<uint32_t>(node.preset_slots().begin(), node.preset_slots().end()),
            (std::vector<uint32_t>{1, 2, 3, 4}));
  EXPECT_TRUE(node.home());
  EXPECT_FALSE(node.settable_home());
  EXPECT_FALSE(node.move_status());

  v1::PtzStatus status;
  ASSERT_TRUE(PtzStatus(&status).ok());  // Nothing ordered yet: unknown, with a reason.
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_UNKNOWN);
  EXPECT_FALSE(status.error().empty());
  EXPECT_FALSE(status.has_position());

  ASSERT_TRUE(Preset("set", 1).ok());
  ASSERT_TRUE(Preset("set", 4).ok());
  ASSERT_TRUE(Preset("goto", 2).ok());
  status.Clear();
  ASSERT_TRUE(PtzStatus(&status).ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_UNKNOWN);
  EXPECT_EQ(status.error(),
            "the camera reports no position: the end of a go-to (preset, home) is not known");
  // The camera cannot clear a preset: nothing is sent.
  ASSERT_TRUE(Preset("remove", 3).ok());
  EXPECT_EQ(Preset("set", 5).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Preset("goto", 0).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Preset("remove", 17).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Preset("goto", 8, "hall").ok());  // hall offers the default 8 slots.
  EXPECT_EQ(Preset("set", 9, "hall").error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  grpc::ClientContext home_context;
  v1::GotoPtzHomeRequest home;
  home.set_camera_id("garden");
  home.set_node_id("0");
  v1::PtzMoveResponse moved;
  ASSERT_TRUE(stub_->GotoPtzHome(&home_context, home, &moved).ok());
  grpc::ClientContext set_home_context;
  v1::PtzNodeRef ref;
  ref.set_camera_id("garden");
  ref.set_node_id("0");
  EXPECT_EQ(stub_->SetPtzHome(&set_home_context, ref, &moved).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);

  ASSERT_TRUE(Continuous("garden", std::make_pair(1.0f, 0.0f), 1.0f).ok());
  status.Clear();
  ASSERT_TRUE(PtzStatus(&status).ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_EQ(status.error(), "");
  ASSERT_TRUE(StopPtz("garden", true, true).ok());
  status.Clear();
  ASSERT_TRUE(PtzStatus(&status).ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_IDLE);

  EXPECT_EQ(garden_.Targets("decoder_control.cgi"), (std::vector<std::string>{
                                                        Garden("decoder_control.cgi?command=30"),
                                                        Garden("decoder_control.cgi?command=36"),
                                                        Garden("decoder_control.cgi?command=33"),
                                                        Garden("decoder_control.cgi?command=25"),
                                                        Garden("decoder_control.cgi?command=4"),
                                                        Garden("decoder_control.cgi?command=18"),
                                                        Garden("decoder_control.cgi?command=1"),
                                                        Garden("decoder_control.cgi?command=19"),
                                                    }));
  EXPECT_EQ(hall_.Targets(), (std::vector<std::string>{"/decoder_control.cgi?command=45"}));
}

TEST_F(FoscamServiceTest, PtzStatusFailsWhenTheCameraDoesNotAnswer) {
  garden_.SetFailure("get_status.cgi", "error: illegal params.\r\n");
  v1::PtzStatus status;
  EXPECT_EQ(PtzStatus(&status).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  garden_.Stop();
  EXPECT_EQ(PtzStatus(&status).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(FoscamServiceTest, IrLampThroughTheIoOutputCodes) {
  ASSERT_TRUE(Aux("garden", "tt:IRLamp|On").ok());
  ASSERT_TRUE(Aux("garden", "tt:IRLamp|Off").ok());
  ASSERT_TRUE(Aux("hall", "tt:IRLamp|On").ok());  // ir_on_code: 94 on this one.
  ASSERT_TRUE(Aux("hall", "tt:IRLamp|Off").ok());
  grpc::Status unknown = Aux("garden", "tt:Wiper|On");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(unknown.error_message(), "camera garden has no auxiliary command \"tt:Wiper|On\"");
  EXPECT_EQ(garden_.Targets(),
            (std::vector<std::string>{Garden("decoder_control.cgi?command=95"),
                                      Garden("decoder_control.cgi?command=94")}));
  EXPECT_EQ(hall_.Targets(), (std::vector<std::string>{"/decoder_control.cgi?command=94",
                                                       "/decoder_control.cgi?command=95"}));
}

TEST_F(FoscamServiceTest, ImagingBrightnessAndContrast) {
  grpc::ClientContext options_context;
  v1::ImagingRef ref;
  ref.set_camera_id("garden");
  ref.set_imaging_id("0");
  v1::ImagingOptions options;
  ASSERT_TRUE(stub_->GetImagingOptions(&options_context, ref, &options).ok());
  EXPECT_EQ(options.brightness().min(), 0);
  EXPECT_EQ(options.brightness().max(), 255);
  EXPECT_EQ(options.contrast().min(), 0);
  EXPECT_EQ(options.contrast().max(), 6);
  EXPECT_FALSE(options.has_color_saturation());
  EXPECT_FALSE(options.has_sharpness());
  EXPECT_FALSE(options.has_exposure());
  EXPECT_FALSE(options.has_focus());
  EXPECT_FALSE(options.has_white_balance());
  EXPECT_EQ(options.ir_cut_filter_modes_size(), 0);
  EXPECT_TRUE(garden_.Targets().empty());  // Options come from the model.

  grpc::ClientContext get_context;
  v1::ImagingSettings settings;
  ASSERT_TRUE(stub_->GetImagingSettings(&get_context, ref, &settings).ok());
  EXPECT_EQ(settings.brightness(), 128);
  EXPECT_EQ(settings.contrast(), 4);
  EXPECT_FALSE(settings.has_sharpness());
  EXPECT_FALSE(settings.has_exposure());

  v1::ImagingSettings wanted;
  wanted.set_brightness(200.4f);
  wanted.set_contrast(6);
  v1::ImagingSettings now;
  ASSERT_TRUE(SetImaging(wanted, &now).ok());
  EXPECT_EQ(now.brightness(), 200);
  EXPECT_EQ(now.contrast(), 6);
  EXPECT_EQ(garden_.brightness(), 200);

  // Out of range or absent: refused before anything changes.
  const size_t sent = garden_.Targets().size();
  v1::ImagingSettings too_bright;
  too_bright.set_brightness(256);
  too_bright.set_contrast(1);
  grpc::Status refused = SetImaging(too_bright, &now);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message(), "brightness must be within [0, 255], not 256");
  v1::ImagingSettings contrast;
  contrast.set_contrast(7);
  EXPECT_EQ(SetImaging(contrast, &now).error_message(), "contrast must be within [0, 6], not 7");
  v1::ImagingSettings negative;
  negative.set_brightness(-1);
  EXPECT_EQ(SetImaging(negative, &now).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ImagingSettings sharpness;
  sharpness.set_brightness(10);
  sharpness.set_sharpness(3);
  grpc::Status absent = SetImaging(sharpness, &now);
  EXPECT_EQ(absent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(absent.error_message(),
            "sharpness does not exist on camera garden (its options are brightness and contrast)");
  v1::ImagingSettings ir;
  ir.set_ir_cut_filter(v1::IR_CUT_FILTER_MODE_AUTO);
  EXPECT_EQ(SetImaging(ir, &now).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(garden_.Targets().size(), sent);
  EXPECT_EQ(garden_.brightness(), 200);

  EXPECT_EQ(garden_.Targets("camera_control.cgi"),
            (std::vector<std::string>{Garden("camera_control.cgi?param=1&value=200"),
                                      Garden("camera_control.cgi?param=2&value=6")}));

  // The lens is fixed; another sensor does not exist.
  grpc::ClientContext focus_context;
  v1::MoveFocusRequest focus;
  focus.set_camera_id("garden");
  focus.set_imaging_id("0");
  focus.mutable_continuous()->set_speed(0.5f);
  v1::FocusMoveResponse focus_response;
  EXPECT_EQ(stub_->MoveFocus(&focus_context, focus, &focus_response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext other_context;
  ref.set_imaging_id("1");
  EXPECT_EQ(stub_->GetImagingSettings(&other_context, ref, &settings).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(FoscamServiceTest, SystemTimeWithTheZoneInSecondsWest) {
  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id("garden");
  v1::SystemTime time;
  ASSERT_TRUE(stub_->GetSystemTime(&context, ref, &time).ok());
  EXPECT_EQ(time.utc_time().seconds(), 1'700'000'000);
  EXPECT_EQ(time.posix_timezone(), "UTC5");  // tz=18000: five hours west.
  EXPECT_FALSE(time.ntp_synchronized());

  ASSERT_TRUE(SetTime(1'800'000'000, "CET-1", &time).ok());
  EXPECT_EQ(time.utc_time().seconds(), 1'800'000'000);
  EXPECT_EQ(time.posix_timezone(), "UTC-1");
  EXPECT_EQ(garden_.tz(), -3600);

  // No zone: the camera keeps its own (read first).
  ASSERT_TRUE(SetTime(1'800'000'100, "", &time).ok());
  EXPECT_EQ(time.posix_timezone(), "UTC-1");

  // A zone with daylight saving rules cannot be expressed: refused, nothing sent.
  const size_t sent = garden_.Targets().size();
  grpc::Status dst = SetTime(1'800'000'200, "CET-1CEST,M3.5.0,M10.5.0/3", &time);
  EXPECT_EQ(dst.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(dst.error_message().find("\"CET-1CEST,M3.5.0,M10.5.0/3\" has daylight saving rules"),
            std::string::npos)
      << dst.error_message();
  EXPECT_EQ(SetTime(-1, "UTC0", &time).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(garden_.Targets().size(), sent);

  EXPECT_EQ(garden_.Targets("set_datetime.cgi"),
            (std::vector<std::string>{
                Garden("set_datetime.cgi?now=1800000000&tz=-3600&ntp_enable=0"),
                Garden("set_datetime.cgi?now=1800000100&tz=-3600&ntp_enable=0"),
            }));
}

TEST_F(FoscamServiceTest, RebootFactoryDefaultAndLog) {
  grpc::ClientContext reboot_context;
  v1::CameraRef ref;
  ref.set_camera_id("garden");
  v1::RebootResponse reboot;
  ASSERT_TRUE(stub_->Reboot(&reboot_context, ref, &reboot).ok());
  EXPECT_EQ(reboot.expected_downtime_seconds(), 45U);

  grpc::ClientContext default_context;
  v1::FactoryDefaultRequest factory;
  factory.set_camera_id("garden");
  factory.set_hard(true);
  v1::FactoryDefaultResponse defaulted;
  ASSERT_TRUE(stub_->FactoryDefault(&default_context, factory, &defaulted).ok());
  ASSERT_EQ(defaulted.video_sources().sources_size(), 1);
  EXPECT_EQ(defaulted.video_sources().sources(0).streams(0).stream_id(), "mjpeg");

  // hall does not allow it: restore_factory.cgi resets the camera's users.
  grpc::ClientContext refused_context;
  factory.set_camera_id("hall");
  grpc::Status refused = stub_->FactoryDefault(&refused_context, factory, &defaulted);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("allow_factory_default"), std::string::npos);
  EXPECT_TRUE(hall_.Targets().empty());

  grpc::ClientContext log_context;
  v1::CameraLog log;
  ASSERT_TRUE(stub_->GetSystemLog(&log_context, ref, &log).ok());
  ASSERT_EQ(log.lines_size(), 2);
  EXPECT_EQ(log.lines(0), "Mon, 2024-01-01 10:00:00  admin  192.0.2.1  access");
  EXPECT_EQ(log.lines(1), "Mon, 2024-01-01 10:05:00  admin  192.0.2.1  access");

  EXPECT_EQ(garden_.Targets(),
            (std::vector<std::string>{Garden("reboot.cgi"), Garden("restore_factory.cgi"),
                                      Garden("get_log.cgi")}));
}

TEST_F(FoscamServiceTest, DigitalInputFromTheAlarmStatus) {
  auto list = [this](const std::string& camera, v1::DigitalInputList* inputs) {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id(camera);
    return stub_->ListDigitalInputs(&context, ref, inputs);
  };
  v1::DigitalInputList inputs;
  ASSERT_TRUE(list("garden", &inputs).ok());
  ASSERT_EQ(inputs.inputs_size(), 1);
  EXPECT_EQ(inputs.inputs(0).input_id(), "input-1");
  EXPECT_EQ(inputs.inputs(0).idle_state(), v1::RELAY_IDLE_STATE_UNSPECIFIED);
  EXPECT_FALSE(inputs.inputs(0).idle_state_settable());
  EXPECT_TRUE(inputs.inputs(0).active_known());
  EXPECT_FALSE(inputs.inputs(0).active());
  garden_.alarm_status = 2;
  inputs.Clear();
  ASSERT_TRUE(list("garden", &inputs).ok());
  EXPECT_TRUE(inputs.inputs(0).active());
  garden_.alarm_status = 1;  // Motion hides the input.
  inputs.Clear();
  ASSERT_TRUE(list("garden", &inputs).ok());
  EXPECT_FALSE(inputs.inputs(0).active_known());

  EXPECT_EQ(list("hall", &inputs).error_code(), grpc::StatusCode::UNIMPLEMENTED);

  grpc::ClientContext set_context;
  v1::SetDigitalInputSettingsRequest set;
  set.set_camera_id("garden");
  set.set_input_id("input-1");
  set.set_idle_state(v1::RELAY_IDLE_STATE_CLOSED);
  v1::DigitalInput input;
  EXPECT_EQ(stub_->SetDigitalInputSettings(&set_context, set, &input).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext unknown_context;
  set.set_input_id("input-2");
  EXPECT_EQ(stub_->SetDigitalInputSettings(&unknown_context, set, &input).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(FoscamServiceTest, EventsFollowAlarmStatusTransitions) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kFailsafe);
  v1::StreamEventsRequest request;
  request.add_camera_ids("garden");
  auto reader = stub_->StreamEvents(&context, request);
  v1::Event event;
  // The first poll reports the current state.
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.camera_id(), "garden");
  ASSERT_TRUE(event.has_motion());
  EXPECT_EQ(event.motion().source_id(), "0");
  EXPECT_FALSE(event.motion().active());
  EXPECT_GT(event.time().seconds(), 0);
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_digital_input());
  EXPECT_EQ(event.digital_input().input_id(), "input-1");
  EXPECT_FALSE(event.digital_input().active());

  garden_.alarm_status = 1;  // Motion.
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_motion());
  EXPECT_TRUE(event.motion().active());

  garden_.alarm_status = 2;  // Motion over, the input alarm on.
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_motion());
  EXPECT_FALSE(event.motion().active());
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_digital_input());
  EXPECT_TRUE(event.digital_input().active());

  garden_.alarm_status = 0;
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_digital_input());
  EXPECT_FALSE(event.digital_input().active());

  // A second call joining later gets the state known so far at once.
  grpc::ClientContext second_context;
  second_context.set_deadline(std::chrono::system_clock::now() + kFailsafe);
  auto second = stub_->StreamEvents(&second_context, v1::StreamEventsRequest());
  ASSERT_TRUE(second->Read(&event));
  ASSERT_TRUE(event.has_motion());
  EXPECT_EQ(event.camera_id(), "garden");

  context.TryCancel();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  second_context.TryCancel();
  EXPECT_EQ(second->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // Only the events calls asked the cameras: hall was polled for the second call only. Garden's
  // motion detection was armed once, before the first poll (its input alarm already was).
  const std::vector<std::string> targets = garden_.Targets();
  ASSERT_GE(targets.size(), 3u);
  EXPECT_EQ(targets[0], Garden("get_params.cgi"));
  EXPECT_EQ(targets[1], Garden("set_alarm.cgi?motion_armed=1"));
  for (size_t i = 2; i < targets.size(); ++i) EXPECT_EQ(targets[i], Garden("get_status.cgi"));
  EXPECT_EQ(garden_.motion_armed, 1);
  EXPECT_EQ(garden_.input_armed, 1);
}

TEST_F(FoscamServiceTest, AlarmsLeftAloneWithArmAlarmsFalseAndARefusalOnlyLogged) {
  Start(Replace(kConfig, "    relay: true\n", "    relay: true\n    arm_alarms: false\n"));
  hall_.SetFailure("set_alarm.cgi", "error: illegal params.\r\n");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kFailsafe);
  auto reader = stub_->StreamEvents(&context, v1::StreamEventsRequest());
  ASSERT_TRUE(garden_.WaitForHits("get_status.cgi", 2));
  ASSERT_TRUE(hall_.WaitForHits("get_status.cgi", 2));
  context.TryCancel();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(garden_.Targets("get_params.cgi").empty());
  EXPECT_TRUE(garden_.Targets("set_alarm.cgi").empty());
  EXPECT_EQ(hall_.Targets("set_alarm.cgi").size(), 1u);  // Refused: events still polled.
  EXPECT_EQ(hall_.motion_armed, 0);
}

TEST_F(FoscamServiceTest, RelayThroughTheSwitchCodes) {
  auto list = [&](const std::string& camera, v1::RelayOutputList* relays) {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id(camera);
    return stub_->ListRelayOutputs(&context, ref, relays);
  };
  auto state = [&](bool active, v1::RelayOutput* relay, const std::string& id = "relay-1") {
    grpc::ClientContext context;
    v1::SetRelayOutputStateRequest request;
    request.set_camera_id("garden");
    request.set_relay_id(id);
    request.set_active(active);
    return stub_->SetRelayOutputState(&context, request, relay);
  };
  auto settings = [&](v1::RelayMode mode, uint32_t delay_ms, v1::RelayIdleState idle,
                      v1::RelayOutput* relay) {
    grpc::ClientContext context;
    v1::SetRelayOutputSettingsRequest request;
    request.set_camera_id("garden");
    request.set_relay_id("relay-1");
    request.set_mode(mode);
    request.set_delay_ms(delay_ms);
    request.set_idle_state(idle);
    return stub_->SetRelayOutputSettings(&context, request, relay);
  };
  v1::RelayOutputList relays;
  ASSERT_TRUE(list("garden", &relays).ok());
  ASSERT_EQ(relays.relays_size(), 1);
  EXPECT_EQ(relays.relays(0).relay_id(), "relay-1");
  EXPECT_EQ(relays.relays(0).mode(), v1::RELAY_MODE_BISTABLE);
  EXPECT_EQ(relays.relays(0).idle_state(), v1::RELAY_IDLE_STATE_OPEN);
  EXPECT_FALSE(relays.relays(0).active());
  EXPECT_EQ(list("hall", &relays).error_code(), grpc::StatusCode::UNIMPLEMENTED);

  v1::RelayOutput relay;
  ASSERT_TRUE(state(true, &relay).ok());
  EXPECT_TRUE(relay.active());
  ASSERT_TRUE(state(false, &relay).ok());
  EXPECT_FALSE(relay.active());
  EXPECT_EQ(state(true, &relay, "relay-2").error_code(), grpc::StatusCode::NOT_FOUND);
  // Idle closed: the relay goes to its idle contact (closed) at once, and active opens it.
  ASSERT_TRUE(settings(v1::RELAY_MODE_BISTABLE, 0, v1::RELAY_IDLE_STATE_CLOSED, &relay).ok());
  EXPECT_FALSE(relay.active());
  ASSERT_TRUE(state(true, &relay).ok());
  EXPECT_TRUE(relay.active());
  EXPECT_EQ(settings(v1::RELAY_MODE_MONOSTABLE, 0, v1::RELAY_IDLE_STATE_OPEN, &relay).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      garden_.Targets("decoder_control.cgi"),
      (std::vector<std::string>{
          Garden("decoder_control.cgi?command=22"), Garden("decoder_control.cgi?command=23"),
          Garden("decoder_control.cgi?command=22"), Garden("decoder_control.cgi?command=23")}));

  // Monostable: the adapter opens the contact again after the delay.
  ASSERT_TRUE(settings(v1::RELAY_MODE_MONOSTABLE, 50, v1::RELAY_IDLE_STATE_OPEN, &relay).ok());
  ASSERT_TRUE(state(true, &relay).ok());
  EXPECT_TRUE(relay.active());
  ASSERT_TRUE(garden_.WaitForHits("decoder_control.cgi", 7));
  const std::vector<std::string> codes = garden_.Targets("decoder_control.cgi");
  EXPECT_EQ(codes[4], Garden("decoder_control.cgi?command=23"));  // To idle (open).
  EXPECT_EQ(codes[5], Garden("decoder_control.cgi?command=22"));  // Active.
  EXPECT_EQ(codes[6], Garden("decoder_control.cgi?command=23"));  // Back after 50 ms.
  ASSERT_TRUE(list("garden", &relays).ok());
  EXPECT_FALSE(relays.relays(0).active());
}

TEST_F(FoscamServiceTest, EventPollingGoesOnThroughAnOutageAndLogsItOnce) {
  garden_.SetFailure("get_status.cgi", "error: illegal params.\r\n");
  ::testing::internal::CaptureStderr();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kFailsafe);
  v1::StreamEventsRequest request;
  request.add_camera_ids("garden");
  auto reader = stub_->StreamEvents(&context, request);
  ASSERT_TRUE(garden_.WaitForHits("get_status.cgi", 3));  // Three failed polls.
  garden_.ClearFailure("get_status.cgi");
  v1::Event event;
  ASSERT_TRUE(reader->Read(&event));  // The first successful poll reports the state.
  ASSERT_TRUE(event.has_motion());
  EXPECT_FALSE(event.motion().active());
  context.TryCancel();
  reader->Finish();
  const std::string log = ::testing::internal::GetCapturedStderr();
  size_t failures = 0;
  for (size_t at = log.find("event polling failed"); at != std::string::npos;
       at = log.find("event polling failed", at + 1)) {
    ++failures;
  }
  EXPECT_EQ(failures, 1U) << log;
  EXPECT_NE(log.find("camera garden: event polling works again"), std::string::npos) << log;
  EXPECT_EQ(log.find("secret"), std::string::npos) << log;
}

TEST_F(FoscamServiceTest, StreamEventsEndsAtShutdown) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kFailsafe);
  auto reader = stub_->StreamEvents(&context, v1::StreamEventsRequest());
  v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  const auto started = Clock::now();
  service_->BeginShutdown();
  while (reader->Read(&event)) {
  }
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
}

TEST_F(FoscamServiceTest, IllegalParamsIsAnErrorWithTheCamerasText) {
  garden_.SetFailure("decoder_control.cgi", "error: illegal params.\r\n");
  grpc::Status status = Continuous("garden", std::make_pair(1.0f, 0.0f));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "camera garden refused decoder_control.cgi (move): error: illegal params.");
  garden_.SetFailure("get_camera_params.cgi", "error: illegal params.\r\n");
  grpc::ClientContext context;
  v1::ImagingRef ref;
  ref.set_camera_id("garden");
  ref.set_imaging_id("0");
  v1::ImagingSettings settings;
  grpc::Status read = stub_->GetImagingSettings(&context, ref, &settings);
  EXPECT_EQ(read.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(read.error_message().find("error: illegal params."), std::string::npos);
  // A reply that is neither ok. nor an error is the camera's fault.
  garden_.SetFailure("decoder_control.cgi", "<html>what?</html>");
  status = Continuous("garden", std::make_pair(1.0f, 0.0f));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("<html>what?</html>"), std::string::npos);
  // As is a var reply that cannot be read.
  garden_.SetFailure("get_status.cgi", "var now=12\nnonsense\n");
  v1::DeviceInformation info;
  grpc::Status unreadable = DeviceInformation("garden", &info);
  EXPECT_EQ(unreadable.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(unreadable.error_message().find("line 2"), std::string::npos)
      << unreadable.error_message();
}

TEST_F(FoscamServiceTest, ASilentCameraIsDeadlineExceededWithinTheTimeout) {
  Start(Replace(kConfig, "request_timeout_ms: 1500", "request_timeout_ms: 300"));
  garden_.silent = true;
  const auto started = Clock::now();
  v1::DeviceInformation info;
  grpc::Status status = DeviceInformation("garden", &info);
  const auto took = Clock::now() - started;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(status.error_message(),
            "camera garden did not answer get_status.cgi (device information) within 300 ms");
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(1500));
  // A call's own deadline, shorter than the camera's timeout, bounds the request too.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + milliseconds(150));
  v1::CameraRef ref;
  ref.set_camera_id("garden");
  v1::SystemTime time;
  const auto second = Clock::now();
  EXPECT_EQ(stub_->GetSystemTime(&context, ref, &time).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(Clock::now() - second, milliseconds(1000));
}

TEST_F(FoscamServiceTest, WrongCredentialsNameTheUserNotThePassword) {
  Start(Replace(kConfig, "password: secret", "password: guess-me"));
  ::testing::internal::CaptureStderr();
  v1::DeviceInformation info;
  grpc::Status status = DeviceInformation("garden", &info);
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "camera garden refused the credentials of user 'admin' (get_status.cgi)");
  EXPECT_EQ(status.error_message().find("guess-me"), std::string::npos);
  EXPECT_NE(log.find("refused the credentials of user 'admin'"), std::string::npos) << log;
  EXPECT_EQ(log.find("guess-me"), std::string::npos) << log;
  EXPECT_EQ(log.find("pwd="), std::string::npos) << log;
}

TEST_F(FoscamServiceTest, ACameraThatIsGoneIsUnavailable) {
  hall_.Stop();
  v1::DeviceInformation info;
  grpc::Status status = DeviceInformation("hall", &info);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("camera hall: get_status.cgi (device information) failed"),
            std::string::npos)
      << status.error_message();
}

}  // namespace
}  // namespace onvifgw::foscam

// Golden request/response pairs for every bound operation of the Device and
// Event services (plus declared-unsupported and unknown ones), driven through
// the SOAP endpoint without sockets. The pairs live in tests/fixtures/soap/
// (README.md there explains the format); real client traces are read in place
// from ../shared/onvif/traces.
//
// Each case: fresh device state (event hub, security store), its setup
// requests, then its request; the response is normalised (clock values only),
// compared byte for byte with the golden file, its HTTP status checked against
// its fault code, and the raw response validated with check-soap.
//
//   ONVIFGW_UPDATE_GOLDEN=1 build/bin/golden_test   rewrites the golden files

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "check_soap.h"
#include "config/gateway_config.h"
#include "served_registry.h"
#include "services/device/device_service.h"
#include "services/device/discovery_settings.h"
#include "services/events/event_hub.h"
#include "services/events/event_service.h"
#include "services/events/notify_consumer.h"
#include "services/soap_endpoint.h"
#include "soap/mtom.h"
#include "soap_test_client.h"
#include "stored_device_state.h"

namespace onvifgw::services {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using onvifgw::testing::CheckSoap;

const std::string kDevice(device::kPath);
const std::string kEvents(events::kPath);
// Posted to the subscription a setup step created (its address is random).
const std::string kSubscription = std::string(events::kSubscriptionPathPrefix) + "{id}";

// ------------------------------------------------------------------ cases

struct Case {
  std::string service;    ///< "tds", "tev"; empty for an element no WSDL declares
  std::string operation;  ///< the WSDL operation (or the unknown element's name)
  std::string folder;     ///< tests/fixtures/soap/<folder>
  std::string variant;    ///< "": request.xml -> response.xml; else request-<v> -> response-<v>
  std::string path;       ///< the HTTP path the request is posted to
  /// Folders whose request.xml is posted first (each to its own case's path).
  std::vector<std::string> setup;
  /// A client trace in ../shared/onvif/traces used as the request (variant =
  /// the client's name); empty for the fixture's own request file.
  std::string trace;
  /// Publish a motion change into the hub after the setup.
  bool motion_change = false;

  std::string RequestFile() const {
    return variant.empty() ? "request.xml" : "request-" + variant + ".xml";
  }
  std::string ResponseFile() const {
    return variant.empty() ? "response.xml" : "response-" + variant + ".xml";
  }
};

// How gtest names a case in its messages.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.folder << "/" << c.RequestFile() << (c.trace.empty() ? "" : " (trace " + c.trace + ")")
      << " -> " << c.ResponseFile() << " at " << c.path;
}

Case Tds(std::string op, std::vector<std::string> setup = {}) {
  return Case{"tds", op, op, "", kDevice, std::move(setup), "", false};
}
Case Tev(std::string op, std::string path, std::vector<std::string> setup = {}) {
  return Case{"tev", op, op, "", std::move(path), std::move(setup), "", false};
}
// A real client's request for the same operation as `base`.
Case Trace(const Case& base, std::string client, std::string file) {
  Case c = base;
  c.variant = std::move(client);
  c.trace = std::move(file);
  return c;
}
Case Variant(const Case& base, std::string variant) {
  Case c = base;
  c.variant = std::move(variant);
  return c;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = [] {
    std::vector<Case> v;
    auto add = [&](Case c) { return v.emplace_back(std::move(c)); };  // a copy: v grows
    const std::vector<std::string> create = {"CreatePullPointSubscription"};

    // Device: core.
    const Case date = add(Tds("GetSystemDateAndTime"));
    Case date_set = Variant(date, "set");  // the zone and DST a client set
    date_set.setup = {"SetSystemDateAndTime"};
    add(date_set);
    add(Tds("SetSystemDateAndTime"));
    add(Trace(date, "easy-onvif", "easy-onvif--GetSystemDateAndTime.xml"));
    add(Trace(date, "hammeraj-onvif", "hammeraj-onvif--GetSystemDateAndTime.xml"));
    add(Tds("GetDeviceInformation"));
    const Case services = add(Tds("GetServices"));
    add(Trace(services, "odtt", "odtt--GetServices.xml"));
    Case device_caps = Tds("GetServiceCapabilities");
    device_caps.folder = "tds-GetServiceCapabilities";
    add(device_caps);
    const Case caps = add(Tds("GetCapabilities"));
    add(Trace(caps, "odtt", "odtt--GetCapabilities.xml"));
    add(Trace(caps, "onvifmgr", "onvifmgr--GetCapabilities.xml"));
    add(Variant(caps, "Media"));
    add(Tds("GetWsdlUrl"));
    add(Tds("GetEndpointReference"));
    const Case scopes = add(Tds("GetScopes"));
    Case configured = Variant(scopes, "configured");
    configured.setup = {"SetScopes", "AddScopes"};
    add(configured);
    add(Tds("SetScopes"));
    add(Tds("AddScopes", {"SetScopes"}));
    add(Tds("RemoveScopes", {"SetScopes"}));
    add(Tds("GetHostname"));
    add(Tds("SetHostname"));
    add(Tds("SetDNS"));
    add(Tds("GetDNS", {"SetDNS"}));  // after a SetDNS: not the host's resolver
    add(Tds("SetNTP"));
    add(Tds("GetNTP", {"SetNTP"}));
    add(Tds("SetNetworkDefaultGateway"));
    add(Tds("GetNetworkDefaultGateway", {"SetNetworkDefaultGateway"}));
    add(Tds("GetNetworkProtocols"));
    add(Tds("SetNetworkProtocols"));
    add(Tds("SetNetworkInterfaces"));
    add(Tds("SetGeoLocation"));
    add(Tds("GetGeoLocation", {"SetGeoLocation"}));
    add(Tds("DeleteGeoLocation", {"SetGeoLocation"}));
    add(Tds("SetHostnameFromDHCP"));
    add(Tds("SetDynamicDNS"));
    add(Tds("GetDynamicDNS", {"SetDynamicDNS"}));
    add(Tds("SetZeroConfiguration"));
    add(Tds("GetZeroConfiguration", {"SetZeroConfiguration"}));
    add(Tds("CreateStorageConfiguration"));
    add(Tds("GetStorageConfigurations", {"CreateStorageConfiguration"}));
    add(Tds("GetStorageConfiguration", {"CreateStorageConfiguration"}));
    add(Tds("SetStorageConfiguration", {"CreateStorageConfiguration"}));
    add(Tds("DeleteStorageConfiguration", {"CreateStorageConfiguration"}));
    add(Tds("CreateDot1XConfiguration"));
    add(Tds("GetDot1XConfigurations", {"CreateDot1XConfiguration"}));
    add(Tds("GetDot1XConfiguration", {"CreateDot1XConfiguration"}));
    add(Tds("SetDot1XConfiguration", {"CreateDot1XConfiguration"}));
    add(Tds("DeleteDot1XConfiguration", {"CreateDot1XConfiguration"}));
    // Certificates: a fixed key pair and certificates (made once with the
    // openssl command), so that every reply is the same; a key made on board
    // and a PKCS#10 request are random, their DER normalised.
    const std::vector<std::string> keyed = {"LoadCertificateWithPrivateKey"};
    const std::vector<std::string> with_ca = {"LoadCACertificates"};
    add(Tds("CreateCertificate"));
    add(Tds("LoadCertificateWithPrivateKey"));
    add(Tds("GetCertificates", keyed));
    add(Tds("GetCertificatesStatus", keyed));
    add(Tds("SetCertificatesStatus", keyed));
    add(Tds("GetCertificateInformation", keyed));
    add(Tds("LoadCertificates", keyed));
    add(Tds("DeleteCertificates", keyed));
    add(Tds("GetPkcs10Request", keyed));
    add(Tds("LoadCACertificates"));
    add(Tds("GetCACertificates", with_ca));
    add(Tds("SetClientCertificateMode", with_ca));
    add(Tds("GetClientCertificateMode", {"LoadCACertificates", "SetClientCertificateMode"}));
    add(Tds("SetSystemFactoryDefault"));
    add(Tds("GetSystemLog"));
    add(Tds("GetSystemSupportInformation"));
    add(Tds("GetSystemUris"));
    add(Tds("StartSystemRestore"));
    add(Tds("StartFirmwareUpgrade"));   // no adapter here: not offered
    add(Tds("GetSystemBackup"));        // an MTOM reply: its envelope is the golden file
    add(Tds("RestoreSystem"));          // sent without the attachment its href names
    add(Tds("UpgradeSystemFirmware"));  // no adapter here: not offered
    add(Tds("GetDiscoveryMode"));
    add(Tds("SetDiscoveryMode"));
    const Case nics = add(Tds("GetNetworkInterfaces"));
    add(Trace(nics, "genetec", "genetec--GetNetworkInterfaces.xml"));
    add(Tds("SystemReboot"));

    // Device: users and security. Getters after their setter show the stored
    // state; the others show the defaults of a fresh device.
    add(Tds("CreateUsers"));
    add(Tds("GetUsers", {"CreateUsers"}));
    add(Tds("DeleteUsers", {"CreateUsers"}));
    add(Tds("SetUser", {"CreateUsers"}));
    add(Tds("GetAccessPolicy"));
    add(Tds("SetAccessPolicy"));
    add(Tds("SetRemoteUser"));
    add(Tds("GetRemoteUser", {"SetRemoteUser"}));
    add(Tds("SetIPAddressFilter"));
    add(Tds("GetIPAddressFilter", {"SetIPAddressFilter"}));
    add(Tds("AddIPAddressFilter", {"SetIPAddressFilter"}));
    add(Tds("RemoveIPAddressFilter", {"SetIPAddressFilter", "AddIPAddressFilter"}));
    add(Tds("GetPasswordComplexityOptions"));
    add(Tds("GetPasswordComplexityConfiguration"));
    add(Tds("SetPasswordComplexityConfiguration"));
    add(Tds("GetPasswordHistoryConfiguration"));
    add(Tds("SetPasswordHistoryConfiguration"));
    add(Tds("GetAuthFailureWarningOptions"));
    add(Tds("GetAuthFailureWarningConfiguration"));
    add(Tds("SetAuthFailureWarningConfiguration"));
    add(Tds("SetHashingAlgorithm"));
    add(Tds("SetUserRole"));
    add(Tds("GetUserRoles", {"SetUserRole"}));
    add(Tds("DeleteUserRole", {"SetUserRole"}));

    // Device: relays (no adapter here: their faults are the answers).
    add(Tds("GetRelayOutputs"));
    add(Tds("SetRelayOutputSettings"));
    add(Tds("SetRelayOutputState"));
    add(Tds("SendAuxiliaryCommand"));

    // Device: declared unsupported, and an element no WSDL declares.
    add(Tds("SetDPAddresses"));
    Case unknown = Tds("GetDeviceStatus");
    unknown.service.clear();
    unknown.folder = "UnknownOperation";
    add(unknown);

    // Events.
    Case event_caps = Tev("GetServiceCapabilities", kEvents);
    event_caps.folder = "tev-GetServiceCapabilities";
    add(event_caps);
    add(Tev("GetEventProperties", kEvents));
    add(Tev("CreatePullPointSubscription", kEvents));
    Case pull = Tev("PullMessages", kSubscription, create);
    pull.motion_change = true;
    add(pull);
    add(Tev("SetSynchronizationPoint", kSubscription, create));
    add(Tev("Renew", kSubscription, create));
    const Case unsubscribe = add(Tev("Unsubscribe", kSubscription, create));
    add(Trace(unsubscribe, "home-assistant", "home-assistant--Unsubscribe.xml"));
    Case again = Variant(unsubscribe, "again");
    again.setup = {"CreatePullPointSubscription", "Unsubscribe"};
    add(again);
    add(Tev("Seek", kSubscription, create));
    add(Tev("Subscribe", kEvents));
    return v;
  }();
  return cases;
}

const Case* FindCase(const std::string& folder) {
  for (const Case& c : Cases()) {
    if (c.folder == folder && c.variant.empty()) return &c;
  }
  return nullptr;
}

// ------------------------------------------------------------------ files

bool UpdateMode() {
  const char* v = std::getenv("ONVIFGW_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

bool WriteFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
  return static_cast<bool>(f);
}

// ----------------------------------------------------------- normalising

// The only values that change between runs are clock readings: the
// device's date and time, subscription times, notification stamps and fault
// timestamps; and
// the texts of the system log and support information (log lines), the
// one-time ticket of a restore URI, and the DER of a key pair's certificate or
// request made on board. Each
// becomes a fixed placeholder, but only when it has the expected shape (a
// number; a UTC xs:dateTime with the 'Z' indicator, as Core requires for
// PullMessages), so a malformed value still shows in the diff. Every other
// byte is kept.
std::string Normalise(const std::string& body) {
  static const std::regex date_time_block(
      R"(<([\w.-]+:)?(UTCDateTime|LocalDateTime)>[\s\S]*?</\1\2>)");
  static const std::regex date_time_field(
      R"(<([\w.-]+:)?(Year|Month|Day|Hour|Minute|Second)>\d+</\1\2>)");
  static const std::string kUtc = R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)";
  static const std::regex times(R"(<([\w.-]+:)?(CurrentTime|TerminationTime|Timestamp)>)" + kUtc +
                                R"(</\1\2>)");
  static const std::regex utc_time(R"(\bUtcTime=")" + kUtc + R"(")");
  static const std::regex restore_ticket(R"(/onvif/system/restore/[0-9A-Fa-f]{32}<)");
  static const std::regex subscription(R"(/onvif/subscription/[0-9A-F]{32}<)");
  // DER made afresh each time: a key pair generated on board, a request
  // signed with it.
  static const std::regex fresh_der(
      R"((<([\w.-]+:)?(?:CreateCertificateResponse|Pkcs10Request)\b[\s\S]*?<([\w.-]+:)?Data>)[A-Za-z0-9+/=]+(</\3Data>))");
  static const std::regex log_text(
      R"((<([\w.-]+:)?(?:SystemLog|SupportInformation)><([\w.-]+:)?String>)[^<]*(</\3String>))");

  std::string out;
  auto begin = body.cbegin();
  for (std::sregex_iterator it(body.cbegin(), body.cend(), date_time_block), end; it != end; ++it) {
    out.append(begin, (*it)[0].first);
    out += std::regex_replace((*it)[0].str(), date_time_field, "<$1$2>{$2}</$1$2>");
    begin = (*it)[0].second;
  }
  out.append(begin, body.cend());
  out = std::regex_replace(out, times, "<$1$2>{dateTime}</$1$2>");
  out = std::regex_replace(out, log_text, "$1{text}$4");
  out = std::regex_replace(out, fresh_der, "$1{der}$4");
  out = std::regex_replace(out, restore_ticket, "/onvif/system/restore/{ticket}<");
  out = std::regex_replace(out, subscription, "/onvif/subscription/{id}<");
  return std::regex_replace(out, utc_time, "UtcTime=\"{dateTime}\"");
}

// One tag (or text run) per line, for a readable diff of one-line XML.
std::vector<std::string> Lines(const std::string& xml) {
  std::vector<std::string> lines;
  std::string cur;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    cur += xml[i];
    const bool tag_end = xml[i] == '>';
    const bool text_end = i + 1 < xml.size() && xml[i + 1] == '<' && xml[i] != '>';
    if (tag_end || text_end || xml[i] == '\n') {
      if (cur.back() == '\n') cur.pop_back();
      lines.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

// A unified-ish diff (longest common subsequence, 2 lines of context).
std::string Diff(const std::string& expected, const std::string& actual) {
  const auto a = Lines(expected), b = Lines(actual);
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  struct Line {
    char op;
    std::string text;
  };
  std::vector<Line> script;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      script.push_back({' ', a[i++]});
      ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      script.push_back({'-', a[i++]});
    } else {
      script.push_back({'+', b[j++]});
    }
  }
  constexpr std::size_t kContext = 2;
  std::string out = "--- golden\n+++ actual\n";
  std::size_t last_printed = 0;
  bool any = false;
  for (std::size_t k = 0; k < script.size(); ++k) {
    bool near = false;
    for (std::size_t d = k >= kContext ? k - kContext : 0;
         d < std::min(script.size(), k + kContext + 1); ++d) {
      near = near || script[d].op != ' ';
    }
    if (!near) continue;
    if (!any || k > last_printed + 1) out += "@@\n";  // a new hunk
    any = true;
    out += script[k].op;
    out += script[k].text;
    out += '\n';
    last_printed = k;
  }
  return out;
}

// SOAP 1.2 HTTP binding (Part 2 §7.5.2): a Sender fault is 400, any other
// fault 500, a response 200.
int StatusFor(const std::string& body) {
  if (body.find(":Fault>") == std::string::npos) return 200;
  return body.find(":Sender</") != std::string::npos ? 400 : 500;
}

// ------------------------------------------------------------- the device

events::Notification Motion(bool on, std::chrono::seconds after) {
  // A fixed time: notification stamps are normalised anyway.
  return {std::string(events::kMotionAlarmTopic),
          std::chrono::system_clock::from_time_t(1767268800) + after,  // 2026-01-01T12:00:00Z
          "Changed",
          {{"Source", "VideoSource_0"}},
          {{"State", on ? "true" : "false"}}};
}

class GoldenTest : public ::testing::TestWithParam<Case> {
 protected:
  GoldenTest() : endpoint_(onvifgw::testing::ServedRegistry(), soap::XmlLimits{}) {
    // The same device as device_service_test.cc, plus events and security.
    device_.config.id = "front";
    device_.config.name = "Front door";
    device_.config.hardware = "SIM-1000";
    device_.config.camera = "cam-1";
    device_.config.port = 8080;
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    discovery_ = std::make_unique<device::DiscoverySettings>(
        device_.config.id, FixedScopes(device_.config, "SIM-1000"), nullptr);
    device_.discovery = discovery_.get();
    device_.events = &hub_;  // a fresh hub per case
    // Push subscriptions are accepted; their Notify would go out on an
    // io_context nobody runs (the golden cases check the answers only).
    device_.push = &push_;
  }

  void SetUp() override {
    const std::string error = state_.Open(device_);
    ASSERT_TRUE(error.empty()) << error;
    // The camera's motion state, as the adapter would have reported it.
    hub_.Publish(device_.config.id, Motion(false, 0s));
  }

  void TearDown() override { state_.Detach(device_); }

  SoapReply Post(const std::string& xml, const std::string& path) {
    const RequestContext ctx{device_, "http", "192.0.2.10:8080", "192.0.2.10", path,
                             "",      "POST", "192.0.2.99",      std::nullopt};
    auto promise = std::make_shared<std::promise<SoapReply>>();
    endpoint_.Handle(xml, ctx, [promise](SoapReply r) { promise->set_value(std::move(r)); });
    auto reply = promise->get_future();
    // A bound, not a delay: every case here answers at once.
    if (reply.wait_for(10s) != std::future_status::ready) {
      ADD_FAILURE() << "no reply within 10 s to a request posted to " << path;
      return SoapReply{};
    }
    return reply.get();
  }

  // Before the hub: it closes its push targets (posting to this context)
  // when it goes.
  boost::asio::io_context unrun_io_;
  events::PushDelivery push_{unrun_io_, {}};
  events::EventHub hub_;
  SoapEndpoint endpoint_;
  VirtualDevice device_;
  std::unique_ptr<device::DiscoverySettings> discovery_;
  onvifgw::testing::StoredDeviceState state_{
      "golden",
      {.admin = config::AdminConfig{"admin", "Golden-Passw0rd1"},
       .stored_scopes = std::nullopt,
       .media = false,
       .host = &::onvifgw::SystemClock::Instance()}};
};

TEST_P(GoldenTest, ResponseMatches) {
  const Case& c = GetParam();
  const fs::path folder = fs::path(ONVIFGW_FIXTURES) / c.folder;
  fs::path request_path = folder / c.RequestFile();
  if (!c.trace.empty()) {
    if (!fs::is_directory(ONVIFGW_TRACES)) {
      GTEST_SKIP() << ONVIFGW_TRACES << " is absent: the " << c.variant
                   << " client trace cannot be replayed";
    }
    request_path = fs::path(ONVIFGW_TRACES) / c.trace;
  }
  const auto request = ReadFile(request_path);
  ASSERT_TRUE(request.has_value()) << "cannot read " << request_path;

  std::string path = c.path;
  for (const std::string& setup : c.setup) {
    const Case* s = FindCase(setup);
    ASSERT_NE(s, nullptr) << "no case " << setup;
    const auto body = ReadFile(fs::path(ONVIFGW_FIXTURES) / s->folder / s->RequestFile());
    ASSERT_TRUE(body.has_value()) << "cannot read the request of " << setup;
    const SoapReply r = Post(*body, s->path == kSubscription ? path : s->path);
    ASSERT_EQ(r.http_status, 200) << "setup " << setup << " failed:\n" << r.body;
    static const std::regex address(
        R"(<wsa:Address>http://[^/<]+(/onvif/subscription/[0-9A-F]+)<)");
    std::smatch m;
    if (c.path == kSubscription && std::regex_search(r.body, m, address)) path = m[1].str();
  }
  if (c.motion_change) hub_.Publish(device_.config.id, Motion(true, 5s));

  SoapReply reply = Post(*request, path);
  ASSERT_FALSE(reply.body.empty());
  if (!reply.content_type.empty()) {
    // MTOM: the envelope is compared; every xop:Include names a part.
    auto package = soap::ParseMtom(reply.content_type, reply.body);
    ASSERT_TRUE(package.has_value()) << package.error().reason;
    static const std::regex include(R"re(<xop:Include href="([^"]+)")re");
    const std::string envelope(package->envelope);
    std::size_t includes = 0;
    for (std::sregex_iterator it(envelope.begin(), envelope.end(), include), end; it != end;
         ++it, ++includes) {
      EXPECT_NE(package->attachments.Find((*it)[1].str()), nullptr) << (*it)[1].str();
    }
    EXPECT_EQ(includes, package->attachments.parts.size());
    reply.body = envelope;
  }
  EXPECT_EQ(reply.http_status, StatusFor(reply.body)) << reply.body;
  const std::string normalised = Normalise(reply.body);
  const fs::path golden_path = folder / c.ResponseFile();
  if (UpdateMode()) {
    ASSERT_TRUE(WriteFile(golden_path, normalised)) << "cannot write " << golden_path;
  } else {
    const auto golden = ReadFile(golden_path);
    if (!golden) {
      ADD_FAILURE() << golden_path << " is missing (ONVIFGW_UPDATE_GOLDEN=1 writes it)";
    } else if (*golden != normalised) {
      ADD_FAILURE() << "the response differs from " << golden_path
                    << " (ONVIFGW_UPDATE_GOLDEN=1 rewrites it)\n"
                    << Diff(*golden, normalised);
    }
  }
  SKIP_WITHOUT_CHECK_SOAP();  // only the validation needs the schema bundle
  EXPECT_EQ(CheckSoap(reply.body), "") << reply.body;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name =
      info.param.folder + (info.param.variant.empty() ? "" : "_" + info.param.variant);
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Soap, GoldenTest, ::testing::ValuesIn(Cases()), CaseName);

// ------------------------------------------------------------- coverage

TEST(GoldenCoverage, EveryBoundOperationHasItsOwnRequest) {
  std::size_t bound = 0;
  for (const char* prefix : {"tds", "tev"}) {
    const ServedService* service = onvifgw::testing::ServedRegistry().Get(prefix);
    ASSERT_NE(service, nullptr) << prefix;
    for (const auto& [key, op] : service->operations) {
      if (!op.handler) continue;
      ++bound;
      const std::string name(op.schema->name);
      EXPECT_TRUE(std::any_of(Cases().begin(), Cases().end(),
                              [&](const Case& c) {
                                return c.service == prefix && c.operation == name &&
                                       c.variant.empty();
                              }))
          << prefix << " " << name << " is bound but has no golden case";
    }
  }
  EXPECT_GE(bound, 40u);
}

TEST(GoldenCoverage, CasesNameRealOperations) {
  for (const Case& c : Cases()) {
    if (c.service.empty()) continue;  // the unknown element
    const ServedService* service = onvifgw::testing::ServedRegistry().Get(c.service);
    ASSERT_NE(service, nullptr) << c.service;
    const bool known =
        std::any_of(service->operations.begin(), service->operations.end(),
                    [&](const auto& kv) { return kv.second.schema->name == c.operation; });
    EXPECT_TRUE(known) << c.service << " has no operation " << c.operation;
  }
  // The unsupported ones are pinned on purpose: they must stay unbound.
  for (auto [prefix, name] : {std::pair{"tds", "SetDPAddresses"}, std::pair{"tev", "Seek"}}) {
    for (const auto& [key, op] : onvifgw::testing::ServedRegistry().Get(prefix)->operations) {
      if (op.schema->name == name) {
        EXPECT_TRUE(op.declared_unsupported) << name;
      }
    }
  }
}

TEST(GoldenCoverage, EveryFixtureFileBelongsToACase) {
  std::set<fs::path> used;
  for (const Case& c : Cases()) {
    const fs::path folder = fs::path(ONVIFGW_FIXTURES) / c.folder;
    if (c.trace.empty()) used.insert(folder / c.RequestFile());
    used.insert(folder / c.ResponseFile());
  }
  used.insert(fs::path(ONVIFGW_FIXTURES) / "README.md");
  for (const auto& entry : fs::recursive_directory_iterator(ONVIFGW_FIXTURES)) {
    if (entry.is_regular_file()) {
      EXPECT_TRUE(used.count(entry.path()) == 1) << entry.path() << " belongs to no case";
    }
  }
}

TEST(GoldenNormalise, ReplacesOnlyClockValues) {
  EXPECT_EQ(Normalise("<tt:UTCDateTime><tt:Time><tt:Hour>7</tt:Hour></tt:Time><tt:Date>"
                      "<tt:Year>2026</tt:Year></tt:Date></tt:UTCDateTime><tt:Hour>7</tt:Hour>"),
            "<tt:UTCDateTime><tt:Time><tt:Hour>{Hour}</tt:Hour></tt:Time><tt:Date>"
            "<tt:Year>{Year}</tt:Year></tt:Date></tt:UTCDateTime><tt:Hour>7</tt:Hour>");
  EXPECT_EQ(
      Normalise("<wsnt:CurrentTime>2026-01-01T00:00:00Z</wsnt:CurrentTime>"
                "<tt:Message UtcTime=\"2026-01-01T00:00:00Z\" PropertyOperation=\"Changed\">"),
      "<wsnt:CurrentTime>{dateTime}</wsnt:CurrentTime>"
      "<tt:Message UtcTime=\"{dateTime}\" PropertyOperation=\"Changed\">");
  // Not UTC with 'Z': kept, so that the golden comparison catches it.
  EXPECT_EQ(Normalise("<tev:TerminationTime>2026-01-01T00:00:00+01:00</tev:TerminationTime>"),
            "<tev:TerminationTime>2026-01-01T00:00:00+01:00</tev:TerminationTime>");
}

}  // namespace
}  // namespace onvifgw::services

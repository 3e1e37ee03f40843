// The responder on the real multicast path, inside a private network namespace
// (ARCHITECTURE.md: multicast WS-Discovery only in a namespace the test creates).
// A forked child unshares the namespace so that the test process keeps its own.

#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>

#include "discovery/responder.h"
#include "responder_test_util.h"
#include "test_support.h"

namespace onvifgw::discovery {
namespace {

using namespace std::chrono_literals;
using testing::ElementText;

constexpr char kWsa[] = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
constexpr char kD[] = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
constexpr char kGroup[] = "239.255.255.250";
constexpr uint16_t kPort = 3702;  // a fresh namespace has it free
constexpr int kExitNoPermission = 77;

std::vector<DiscoverableDevice> TwoDevices() {
  DiscoverableDevice a;
  a.endpoint_reference = "urn:uuid:aaaaaaaa-0000-4000-8000-00000000000a";
  a.scopes = {"onvif://www.onvif.org/Profile/Streaming"};
  a.bind_address = "0.0.0.0";
  a.http_port = 8081;
  DiscoverableDevice b = a;
  b.endpoint_reference = "urn:uuid:bbbbbbbb-0000-4000-8000-00000000000b";
  b.http_port = 8082;
  return {a, b};
}

/// Receives until `count` messages with Body operation `op` arrived (others skipped) or timeout.
std::vector<std::string> ReceiveOps(testing::UdpPeer& peer, const std::string& op,
                                    std::size_t count, std::chrono::milliseconds timeout) {
  std::vector<std::string> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto m = peer.Receive(left);
    if (m && testing::BodyOperation(*m) == op) out.push_back(std::move(*m));
  }
  return out;
}

/// Runs in the child, inside the new namespace. Returns "" on success, else what failed.
std::string MulticastScenario() {
  for (const char* cmd :
       {"ip link set lo up", "ip link set lo multicast on", "ip route add 224.0.0.0/4 dev lo"}) {
    if (std::system(cmd) != 0) return std::string("command failed: ") + cmd;
  }
  testing::UdpPeer listener("0.0.0.0", kPort, /*reuse=*/true);  // sees Hello and Bye
  if (!listener.ok() || !listener.JoinGroup(kGroup)) return "listener setup failed";

  testing::IoThreads io(2);
  auto log = std::make_shared<testing::LogSink>();
  ResponderOptions options;
  options.bind_address = "0.0.0.0";
  options.port = kPort;
  options.join_multicast = true;
  options.max_reply_delay = 100ms;
  options.instance_id = 777;
  options.log = [log](std::string_view level, std::string_view msg) { (*log)(level, msg); };
  // What the owner reports; changed below as SetScopes/SetDiscoveryMode would.
  struct Devices {
    std::mutex mu;
    std::vector<DiscoverableDevice> list = TwoDevices();
  };
  auto devices = std::make_shared<Devices>();
  Responder responder(io.io, options, [devices] {
    std::lock_guard lock(devices->mu);
    return devices->list;
  });
  auto started = responder.Start();
  if (!started.ok()) return "Start failed: " + started.error();
  if (log->Contains("not a member")) return "join failed:\n" + log->All();

  auto hellos = ReceiveOps(listener, "Hello", 2, 3s);
  if (hellos.size() != 2)
    return "expected 2 Hello, got " + std::to_string(hellos.size()) + "\n" + log->All();
  for (const auto& h : hellos) {
    if (ElementText(h, kWsa, "To") != "urn:schemas-xmlsoap-org:ws:2005:04:discovery")
      return "Hello wsa:To";
    // Only loopback in the namespace: the Hello host falls back to 127.0.0.1.
    auto x = ElementText(h, kD, "XAddrs").value_or("");
    if (x.rfind("http://127.0.0.1:808", 0) != 0) return "Hello XAddrs: " + x;
  }

  testing::UdpPeer client("0.0.0.0", 0);
  if (!client.ok() || !client.EnableMulticastLoop()) return "client setup failed";
  const std::string id = "urn:uuid:99999999-8888-4777-8666-555555555555";
  const std::string probe = testing::ProbeXml(
      id, "<d:Types xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\">tds:Device</d:Types>");
  if (!client.SendTo(probe, kGroup, kPort))
    return std::string("multicast send: ") + std::strerror(errno);
  auto matches = client.ReceiveN(2, 3s);
  if (matches.size() != 2) {
    return "expected 2 ProbeMatches, got " + std::to_string(matches.size()) + "\n" + log->All();
  }
  std::set<std::string> eprs;
  for (const auto& m : matches) {
    if (testing::BodyOperation(m) != "ProbeMatches") return "not ProbeMatches: " + m;
    if (ElementText(m, kWsa, "RelatesTo") != id) return "RelatesTo: " + m;
    auto x = ElementText(m, kD, "XAddrs").value_or("");
    if (x.rfind("http://127.0.0.1:808", 0) != 0) return "ProbeMatches XAddrs: " + x;
    eprs.insert(ElementText(m, kWsa, "Address").value_or(""));
  }
  if (eprs.size() != 2) return "ProbeMatches for the same device twice";

  // A multicast Probe with an unsupported rule gets no fault (no storms).
  client.SendTo(testing::ProbeXml("uuid:ldap",
                                  "<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/"
                                  "discovery/ldap\">ldap:///x</d:Scopes>"),
                kGroup, kPort);
  if (auto extra = client.Receive(400ms))
    return "unexpected reply to a multicast ldap Probe: " + *extra;

  // The first device's scopes change: one Hello, with them and a higher
  // MetadataVersion.
  std::string first, second;
  {
    std::lock_guard lock(devices->mu);
    devices->list[0].scopes.push_back("onvif://www.onvif.org/location/west");
    devices->list[0].metadata_version = 2;
    first = devices->list[0].endpoint_reference;
    second = devices->list[1].endpoint_reference;
  }
  responder.Announce(first);
  auto announced = ReceiveOps(listener, "Hello", 1, 3s);
  if (announced.size() != 1) return "no Hello after Announce\n" + log->All();
  if (ElementText(announced[0], kWsa, "Address") != first) return "Hello for: " + announced[0];
  if (ElementText(announced[0], kD, "Scopes").value_or("").find("location/west") ==
      std::string::npos) {
    return "Hello without the new scope: " + announced[0];
  }
  if (ElementText(announced[0], kD, "MetadataVersion") != "2") {
    return "Hello MetadataVersion: " + announced[0];
  }
  if (auto extra = ReceiveOps(listener, "Hello", 1, 300ms); !extra.empty()) {
    return "a Hello for the other device too: " + extra[0];
  }

  // The second becomes non-discoverable: a Bye, and it leaves the snapshot.
  {
    std::lock_guard lock(devices->mu);
    devices->list.pop_back();
  }
  responder.Depart(second);
  auto departed = ReceiveOps(listener, "Bye", 1, 3s);
  if (departed.size() != 1 || ElementText(departed[0], kWsa, "Address") != second) {
    return "no Bye for the departing device\n" + log->All();
  }

  responder.Stop();
  auto byes = ReceiveOps(listener, "Bye", 2, 1s);
  if (byes.size() != 1) return "expected 1 Bye at Stop, got " + std::to_string(byes.size());
  return "";
}

TEST(ResponderMulticast, ProbeInPrivateNetworkNamespace) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0) << std::strerror(errno);
  if (child == 0) {
    ::close(fds[0]);
    int code = 0;
    std::string result;
    if (::unshare(CLONE_NEWNET) != 0) {
      code = errno == EPERM ? kExitNoPermission : 2;
      result = std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno);
    } else {
      result = MulticastScenario();
      code = result.empty() ? 0 : 1;
    }
    if (!result.empty()) (void)!::write(fds[1], result.data(), result.size());
    ::_exit(code);
  }
  ::close(fds[1]);
  std::string report;
  bool timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;  // child exited (EOF)
    report.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_FALSE(timed_out) << "multicast scenario did not finish in time";
  ASSERT_TRUE(WIFEXITED(status)) << report;
  if (WEXITSTATUS(status) == kExitNoPermission) {
    GTEST_SKIP() << "cannot create a network namespace (" << report
                 << "); run as root or with CAP_SYS_ADMIN to test multicast";
  }
  EXPECT_EQ(WEXITSTATUS(status), 0) << report;
}

}  // namespace
}  // namespace onvifgw::discovery

// The SDK's HTTP client against a scripted loopback camera: keep-alive, Basic and Digest,
// deadlines, bounded retries, size limits, MJPEG streams and endless text streams.

#include "adapters/sdk/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "scripted_http_server.h"

namespace onvifgw::adapter_sdk {
namespace {

using onvifgw::testing::HttpReply;
using onvifgw::testing::ReceivedRequest;
using onvifgw::testing::Reply;
using onvifgw::testing::ScriptedHttpServer;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::unique_ptr<HttpClient> ClientFor(const ScriptedHttpServer& server,
                                      std::optional<HttpCredentials> credentials = {},
                                      HttpClientSettings settings = {}) {
  settings.host = "127.0.0.1";
  settings.port = server.port();
  settings.credentials = std::move(credentials);
  auto client = HttpClient::Create(settings);
  EXPECT_TRUE(client.ok());
  return std::move(client.value());
}

// The parameters of a Digest Authorization header.
std::map<std::string, std::string> DigestParams(const std::string& header) {
  std::map<std::string, std::string> out;
  auto challenges = ParseWwwAuthenticate(header);
  if (!challenges.empty()) out = challenges[0].params;
  return out;
}

// Checks a Digest answer the way a camera would, for user "root" / password "pass".
bool DigestValid(const ReceivedRequest& request, const std::string& nonce) {
  auto params = DigestParams(request.authorization);
  if (params["nonce"] != nonce || params["username"] != "root") return false;
  DigestChallenge challenge;
  challenge.realm = params["realm"];
  challenge.nonce = nonce;
  challenge.qop_auth = true;
  std::string expected = DigestAuthorization(
      challenge, {"root", "pass"}, request.method, request.target,
      static_cast<uint32_t>(std::stoul(params["nc"], nullptr, 16)), params["cnonce"]);
  return DigestParams(expected)["response"] == params["response"];
}

TEST(HttpClient, KeepsTheConnectionAlive) {
  ScriptedHttpServer server([](const ReceivedRequest& r) {
    return Reply{HttpReply(200, "hello " + r.target, {"Content-Type: text/plain"})};
  });
  auto client = ClientFor(server);
  for (int i = 0; i < 3; ++i) {
    auto response = client->Get("/x?i=" + std::to_string(i));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200u);
    EXPECT_EQ(response->body, "hello /x?i=" + std::to_string(i));
    EXPECT_EQ(response->MediaType(), "text/plain");
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(client->counters().connections_reused, 2u);
}

TEST(HttpClient, AnswersDigestOnceThenReusesTheNonce) {
  const std::string nonce = "n0nce";
  ScriptedHttpServer server([&](const ReceivedRequest& r) {
    if (!DigestValid(r, nonce)) {
      return Reply{HttpReply(
          401, "",
          {R"(WWW-Authenticate: Digest realm="AXIS", nonce=")" + nonce + R"(", qop="auth")",
           R"(WWW-Authenticate: Basic realm="AXIS")"})};
    }
    return Reply{HttpReply(200, "OK")};
  });
  auto client = ClientFor(server, HttpCredentials{"root", "pass"});
  ASSERT_TRUE(client->Get("/a").ok());
  ASSERT_TRUE(client->Get("/b").ok());
  auto requests = server.requests();
  // One challenge round trip, then the cached nonce with a counting nc: no second 401.
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0].authorization.empty());
  EXPECT_EQ(DigestParams(requests[1].authorization)["nc"], "00000001");
  EXPECT_EQ(DigestParams(requests[2].authorization)["nc"], "00000002");
  EXPECT_EQ(client->counters().challenges, 1u);
}

TEST(HttpClient, FollowsAStaleNonce) {
  std::atomic<int> generation{1};
  ScriptedHttpServer server([&](const ReceivedRequest& r) {
    std::string nonce = "n" + std::to_string(generation.load());
    if (!DigestValid(r, nonce)) {
      bool stale = !r.authorization.empty();
      return Reply{HttpReply(401, "",
                             {R"(WWW-Authenticate: Digest realm="AXIS", nonce=")" + nonce +
                              R"(", qop="auth")" + (stale ? ", stale=true" : "")})};
    }
    return Reply{HttpReply(200, "OK")};
  });
  auto client = ClientFor(server, HttpCredentials{"root", "pass"});
  ASSERT_TRUE(client->Get("/a").ok());
  generation = 2;  // the camera rotates its nonce
  auto second = client->Get("/b");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->status, 200u);
}

TEST(HttpClient, WrongCredentialsAreAnAuthError) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    return Reply{
        HttpReply(401, "", {R"(WWW-Authenticate: Digest realm="AXIS", nonce="x", qop="auth")"})};
  });
  auto client = ClientFor(server, HttpCredentials{"root", "wrong"});
  auto response = client->Get("/a");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(HttpErrorKindOf(response.error()), HttpErrorKind::kAuth);
  EXPECT_NE(response.error().message.find("user 'root'"), std::string::npos);
  EXPECT_EQ(response.error().message.find("wrong"), std::string::npos);  // no password in logs
  EXPECT_EQ(server.requests().size(), 2u);

  auto anonymous = ClientFor(server);
  auto refused = anonymous->Get("/a");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(HttpErrorKindOf(refused.error()), HttpErrorKind::kAuth);
}

TEST(HttpClient, AnswersBasicAndCanForbidIt) {
  const std::string expected = "Basic " + BasicAuthorization({"admin", "pw"}).substr(6);
  ScriptedHttpServer server([&](const ReceivedRequest& r) {
    if (r.authorization != expected) {
      return Reply{HttpReply(401, "", {R"(WWW-Authenticate: Basic realm="cam")"})};
    }
    return Reply{HttpReply(200, "ok.")};
  });
  auto client = ClientFor(server, HttpCredentials{"admin", "pw"});
  ASSERT_TRUE(client->Get("/a").ok());
  ASSERT_TRUE(client->Get("/b").ok());
  EXPECT_EQ(server.requests().size(), 3u);  // Basic is sent at once after the first challenge

  HttpClientSettings strict;
  strict.forbid_basic = true;
  auto careful = ClientFor(server, HttpCredentials{"admin", "pw"}, strict);
  auto refused = careful->Get("/a");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(HttpErrorKindOf(refused.error()), HttpErrorKind::kAuth);
}

TEST(HttpClient, PreemptiveBasicForCamerasWithoutChallenge) {
  ScriptedHttpServer server([](const ReceivedRequest& r) {
    if (r.authorization.empty()) return Reply{HttpReply(401, "")};  // no WWW-Authenticate
    return Reply{HttpReply(200, "ok.")};
  });
  HttpClientSettings settings;
  settings.preemptive_basic = true;
  auto client = ClientFor(server, HttpCredentials{"admin", ""}, settings);
  ASSERT_TRUE(client->Get("/a").ok());
  EXPECT_EQ(server.requests().size(), 1u);
  // Without the setting, a bare 401 still leads to one Basic try.
  auto learning = ClientFor(server, HttpCredentials{"admin", ""});
  ASSERT_TRUE(learning->Get("/a").ok());
}

TEST(HttpClient, RetriesOnAConnectionTheCameraClosed) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    // Keep-alive announced, then the connection is closed: the next request finds it dead.
    Reply reply{HttpReply(200, "ok")};
    reply.close = true;
    return reply;
  });
  auto client = ClientFor(server);
  ASSERT_TRUE(client->Get("/a").ok());
  auto second = client->Get("/b");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->body, "ok");
}

TEST(HttpClient, NonIdempotentRequestsAreNotSentTwice) {
  std::atomic<int> calls{0};
  ScriptedHttpServer server([&](const ReceivedRequest&) {
    ++calls;
    Reply reply;
    reply.close = true;  // received, then the connection drops without an answer
    return reply;
  });
  auto client = ClientFor(server);
  HttpRequest post;
  post.method = "POST";
  post.target = "/axis-cgi/firmwareupgrade.cgi";
  post.body = "image";
  post.idempotent = false;
  auto response = client->Send(post);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(HttpErrorKindOf(response.error()), HttpErrorKind::kConnect);
  EXPECT_EQ(calls.load(), 1);
  // An idempotent request is tried max_attempts times.
  calls = 0;
  ASSERT_FALSE(client->Get("/x").ok());
  EXPECT_EQ(calls.load(), 2);
}

TEST(HttpClient, AHungCameraCostsTheDeadlineOnly) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    Reply reply;
    reply.stall = true;
    return reply;
  });
  HttpClientSettings settings;
  settings.request_timeout = milliseconds(300);
  auto client = ClientFor(server, {}, settings);
  auto start = Clock::now();
  auto response = client->Get("/a");
  auto took = Clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(HttpErrorKindOf(response.error()), HttpErrorKind::kTimeout);
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_EQ(server.requests().size(), 1u);  // a timeout is not retried
}

TEST(HttpClient, RefusedConnectionsAreRetriedThenReported) {
  uint16_t port;
  {
    ScriptedHttpServer gone([](const ReceivedRequest&) { return Reply{}; });
    port = gone.port();
  }
  HttpClientSettings settings;
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.max_attempts = 3;
  settings.retry_delay = milliseconds(10);
  auto client = HttpClient::Create(settings);
  ASSERT_TRUE(client.ok());
  auto response = client.value()->Get("/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(HttpErrorKindOf(response.error()), HttpErrorKind::kConnect);
  EXPECT_EQ(client.value()->counters().retries, 2u);
}

TEST(HttpClient, ABodyOverTheLimitIsRefused) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&) { return Reply{HttpReply(200, std::string(5000, 'x'))}; });
  HttpClientSettings settings;
  settings.max_body_bytes = 1000;
  auto client = ClientFor(server, {}, settings);
  auto response = client->Get("/big");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(HttpErrorKindOf(response.error()), HttpErrorKind::kTooLarge);
}

TEST(HttpClient, GarbageIsAProtocolError) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    Reply reply{"SSH-2.0-OpenSSH\r\n\r\n"};
    reply.close = true;
    return reply;
  });
  auto client = ClientFor(server);
  auto response = client->Get("/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(HttpErrorKindOf(response.error()), HttpErrorKind::kProtocol);
}

TEST(HttpClient, BadSettingsAreRefused) {
  EXPECT_FALSE(HttpClient::Create({}).ok());
  HttpClientSettings zero;
  zero.host = "127.0.0.1";
  zero.max_attempts = 0;
  EXPECT_FALSE(HttpClient::Create(zero).ok());
}

// An endless Axis-style MJPEG stream (HTTP/1.0, no length, boundary without a space).
Reply MjpegStream(std::atomic<int>& sent) {
  Reply reply;
  reply.raw =
      "HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=myboundary\r\n\r\n";
  reply.more = [&sent] {
    int n = ++sent;
    std::string jpeg = "\xFF\xD8picture" + std::to_string(n) + "\xFF\xD9";
    return "--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: " +
           std::to_string(jpeg.size()) + "\r\n\r\n" + jpeg + "\r\n";
  };
  return reply;
}

TEST(HttpClient, ReadsAnMjpegStreamBehindDigest) {
  std::atomic<int> sent{0};
  ScriptedHttpServer server([&](const ReceivedRequest& r) {
    if (!DigestValid(r, "s")) {
      return Reply{
          HttpReply(401, "", {R"(WWW-Authenticate: Digest realm="AXIS", nonce="s", qop="auth")"})};
    }
    return MjpegStream(sent);
  });
  auto client = ClientFor(server, HttpCredentials{"root", "pass"});
  std::vector<std::string> pictures;
  auto read = client->ReadMjpeg(
      "/axis-cgi/mjpg/video.cgi",
      [&](std::string_view jpeg) {
        pictures.emplace_back(jpeg);
        return pictures.size() < 3;
      },
      milliseconds(2000));
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(pictures.size(), 3u);
  EXPECT_EQ(pictures[0], "\xFF\xD8picture1\xFF\xD9");
  EXPECT_EQ(pictures[2], "\xFF\xD8picture3\xFF\xD9");
}

TEST(HttpClient, AStalledStreamTimesOutAndAStopEndsIt) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    Reply reply;
    reply.raw =
        "HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=b\r\n\r\n"
        "--b\r\nContent-Length: 1\r\n\r\nx\r\n";
    reply.stall = true;
    return reply;
  });
  auto client = ClientFor(server);
  int pictures = 0;
  auto stalled = client->ReadMjpeg(
      "/s", [&](std::string_view) { return ++pictures < 100; }, milliseconds(200));
  ASSERT_FALSE(stalled.ok());
  EXPECT_EQ(HttpErrorKindOf(stalled.error()), HttpErrorKind::kTimeout);
  EXPECT_EQ(pictures, 1);

  std::stop_source stop;
  std::thread stopper;
  auto stopped = client->ReadMjpeg(
      "/s",
      [&](std::string_view) {
        stopper = std::thread([&] { stop.request_stop(); });
        return true;
      },
      milliseconds(5000), stop.get_token());
  stopper.join();
  EXPECT_TRUE(stopped.ok());
}

TEST(HttpClient, AStreamThatIsNotMultipartIsRefused) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    return Reply{HttpReply(200, "Error: resolution not supported", {"Content-Type: text/plain"})};
  });
  auto client = ClientFor(server);
  auto read = client->ReadMjpeg(
      "/s", [](std::string_view) { return true; }, milliseconds(1000));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(HttpErrorKindOf(read.error()), HttpErrorKind::kProtocol);
}

TEST(HttpClient, ReadsTheLinesOfAnEndlessTextStreamBehindDigest) {
  std::atomic<int> sent{0};
  ScriptedHttpServer server([&](const ReceivedRequest& r) {
    if (!DigestValid(r, "m")) {
      return Reply{
          HttpReply(401, "", {R"(WWW-Authenticate: Digest realm="AXIS", nonce="m", qop="auth")"})};
    }
    // Axis motiondata.cgi: HTTP/1.0, no length; records split anywhere across writes.
    Reply reply;
    reply.raw = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\ngroup=0;lev";
    reply.more = [&sent] {
      const int n = ++sent;
      return "el=" + std::to_string(n) + ";threshold=20;\r\ngroup=0;lev";
    };
    return reply;
  });
  auto client = ClientFor(server, HttpCredentials{"root", "pass"});
  std::vector<std::string> lines;
  auto read = client->ReadLines(
      "/axis-cgi/motion/motiondata.cgi?group=0",
      [&](std::string_view line) {
        lines.emplace_back(line);
        return lines.size() < 3;
      },
      milliseconds(2000));
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "group=0;level=1;threshold=20;");
  EXPECT_EQ(lines[2], "group=0;level=3;threshold=20;");
  EXPECT_EQ(client->counters().challenges, 1u);
}

TEST(HttpClient, ALineStreamEndsWithItsResponseOrTimesOutWhenStalled) {
  // A response that ends: its last line counts even without a line end.
  ScriptedHttpServer ending([](const ReceivedRequest&) {
    return Reply{HttpReply(200, "first\nsecond\r\nlast", {"Content-Type: text/plain"})};
  });
  auto client = ClientFor(ending);
  std::vector<std::string> lines;
  auto read = client->ReadLines(
      "/s",
      [&](std::string_view line) {
        lines.emplace_back(line);
        return true;
      },
      milliseconds(1000));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(lines, (std::vector<std::string>{"first", "second", "last"}));

  ScriptedHttpServer stalled_server([](const ReceivedRequest&) {
    Reply reply;
    reply.raw = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\none\r\ntw";
    reply.stall = true;
    return reply;
  });
  auto stalled_client = ClientFor(stalled_server);
  lines.clear();
  const auto start = Clock::now();
  auto stalled = stalled_client->ReadLines(
      "/s",
      [&](std::string_view line) {
        lines.emplace_back(line);
        return true;
      },
      milliseconds(200));
  ASSERT_FALSE(stalled.ok());
  EXPECT_EQ(HttpErrorKindOf(stalled.error()), HttpErrorKind::kTimeout);
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  EXPECT_EQ(lines, std::vector<std::string>{"one"});

  // A stop ends a stalled stream at once, with success.
  std::stop_source stop;
  std::thread stopper;
  auto stopped = stalled_client->ReadLines(
      "/s",
      [&](std::string_view) {
        stopper = std::thread([&] { stop.request_stop(); });
        return true;
      },
      milliseconds(5000), stop.get_token());
  stopper.join();
  EXPECT_TRUE(stopped.ok());
}

TEST(HttpClient, ALineStreamRefusesErrorStatusesAndOverlongLines) {
  ScriptedHttpServer missing([](const ReceivedRequest&) {
    return Reply{HttpReply(404, "Not Found", {"Content-Type: text/plain"})};
  });
  auto client = ClientFor(missing);
  auto read = client->ReadLines(
      "/axis-cgi/motion/motiondata.cgi", [](std::string_view) { return true; }, milliseconds(1000));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(HttpErrorKindOf(read.error()), HttpErrorKind::kProtocol);
  EXPECT_NE(read.error().message.find("answered HTTP 404"), std::string::npos);

  ScriptedHttpServer endless_line([](const ReceivedRequest&) {
    Reply reply;
    reply.raw = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n";
    reply.more = [] { return std::string(1024, 'x'); };
    reply.more_interval = milliseconds(1);
    return reply;
  });
  HttpClientSettings settings;
  settings.max_body_bytes = 16 * 1024;
  auto small = ClientFor(endless_line, {}, settings);
  auto too_long = small->ReadLines(
      "/s", [](std::string_view) { return true; }, milliseconds(2000));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(HttpErrorKindOf(too_long.error()), HttpErrorKind::kTooLarge);
}

TEST(HttpClient, CloseFailsACallInFlight) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    Reply reply;
    reply.stall = true;
    return reply;
  });
  HttpClientSettings settings;
  settings.request_timeout = milliseconds(10000);
  auto client = ClientFor(server, {}, settings);
  std::optional<Result<HttpResponse>> result;
  std::thread caller([&] { result.emplace(client->Get("/slow")); });
  while (server.requests().empty()) std::this_thread::yield();
  auto start = Clock::now();
  client->Close();
  caller.join();
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(HttpErrorKindOf(result->error()), HttpErrorKind::kClosed);
  EXPECT_FALSE(client->Get("/after").ok());
}

}  // namespace
}  // namespace onvifgw::adapter_sdk

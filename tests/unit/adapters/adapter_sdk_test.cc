// The adapter SDK's command line, listen addresses and config helpers.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "adapters/sdk/command_line.h"
#include "adapters/sdk/config_node.h"
#include "adapters/sdk/listen_address.h"

namespace onvifgw::adapter_sdk {
namespace {

TEST(CommandLineTest, ParsesListenConfigAndLogLevel) {
  auto parsed = ParseCommandLine(
      {"--listen", "unix:/run/a.sock", "--config=/etc/a.yaml", "--log-level", "debug"});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->listen.kind, ListenAddress::Kind::kUnix);
  EXPECT_EQ(parsed->listen.unix_path, "/run/a.sock");
  EXPECT_EQ(parsed->config_path, "/etc/a.yaml");
  EXPECT_EQ(parsed->log_level, LogLevel::kDebug);
  EXPECT_TRUE(ParseCommandLine({"--help"})->help);
}

TEST(CommandLineTest, RejectsBadUsage) {
  EXPECT_FALSE(ParseCommandLine({}).ok());
  EXPECT_FALSE(ParseCommandLine({"--listen"}).ok());
  EXPECT_FALSE(ParseCommandLine({"--listen", "nowhere"}).ok());
  EXPECT_FALSE(ParseCommandLine({"--listen", "unix:relative.sock"}).ok());
  EXPECT_FALSE(ParseCommandLine({"--listen", "127.0.0.1:0", "--verbose"}).ok());
  EXPECT_FALSE(ParseCommandLine({"--listen", "127.0.0.1:0", "--log-level", "loud"}).ok());
  EXPECT_FALSE(ParseCommandLine({"--listen", "a:1", "--listen", "b:2"}).ok());
}

TEST(ListenAddressTest, ParsesTcpForms) {
  auto v4 = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 0);
  EXPECT_EQ(v4->ToGrpcTargetWithPort(4242), "127.0.0.1:4242");

  auto v6 = ParseListenAddress("[::1]:50051");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->ToGrpcTarget(), "[::1]:50051");

  EXPECT_FALSE(ParseListenAddress("::1:50051").ok());
  EXPECT_FALSE(ParseListenAddress("host:65536").ok());
  EXPECT_FALSE(ParseListenAddress(":80").ok());
  EXPECT_FALSE(ParseListenAddress("host:8o").ok());
}

TEST(ListenAddressTest, StaleSocketHandling) {
  char dir_template[] = "/tmp/adapter_sdk_test.XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  EXPECT_TRUE(RemoveStaleUnixSocket(dir + "/absent.sock").ok());
  const std::string regular = dir + "/file";
  std::ofstream(regular) << "x";
  auto result = RemoveStaleUnixSocket(regular);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("not a socket"), std::string::npos);
  ::unlink(regular.c_str());
  ::rmdir(dir.c_str());
}

TEST(ConfigNodeTest, ReportsPathAndPosition) {
  ConfigNode root(YAML::Load("a:\n  b: [1, x]\n"));
  EXPECT_EQ(root["a"]["b"].Elements()[0].AsInt(0, 5), 1);
  try {
    root["a"]["b"].Elements()[1].AsInt(0, 5);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "a.b[1] (line 2, column 10): expected an integer, got \"x\"");
  }
  try {
    root["a"]["c"].AsString();
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "a.c (line 2, column 3): is required");
  }
  EXPECT_EQ(root["a"]["c"].AsString("dflt"), "dflt");
  EXPECT_FALSE(ConfigNode(YAML::Node())["x"].IsSet());  // An empty section is an empty map.
}

TEST(ConfigNodeTest, BooleansAreTrueOrFalse) {
  ConfigNode root(YAML::Load("on: true\noff: no\nbad: maybe\n"));
  EXPECT_TRUE(root["on"].AsBool());
  EXPECT_FALSE(root["off"].AsBool());
  EXPECT_TRUE(root["absent"].AsBool(true));
  try {
    root["bad"].AsBool();
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "bad (line 3, column 6): expected true or false, got \"maybe\"");
  }
}

TEST(ConfigNodeTest, LoadConfigFileReportsSyntaxErrors) {
  char path[] = "/tmp/adapter_sdk_test_XXXXXX.yaml";
  int fd = mkstemps(path, 5);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path) << "a: [1, 2\nb: 3\n";
  auto loaded = LoadConfigFile(path);
  ::unlink(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find(std::string(path) + ":"), std::string::npos)
      << loaded.error().message;
  EXPECT_FALSE(LoadConfigFile("/nonexistent/x.yaml").ok());
}

}  // namespace
}  // namespace onvifgw::adapter_sdk

// The MJPEG multipart reader on the forms cameras really send, split at every possible place.

#include "adapters/sdk/multipart_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace onvifgw::adapter_sdk {
namespace {

struct Collected {
  std::vector<std::string> bodies;
  std::vector<std::string> types;
};

Result<void> FeedAll(MultipartParser& parser, const std::string& bytes, size_t piece,
                     Collected& out, size_t stop_after = 0) {
  for (size_t at = 0; at < bytes.size(); at += piece) {
    auto fed = parser.Feed(std::string_view(bytes).substr(at, piece),
                           [&](std::string_view body, std::string_view type) {
                             out.bodies.emplace_back(body);
                             out.types.emplace_back(type);
                             return stop_after == 0 || out.bodies.size() < stop_after;
                           });
    if (!fed) return fed;
  }
  return {};
}

// Axis: boundary declared without dashes, written with them, Content-Length on every part.
const std::string kAxisStream =
    "--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: 5\r\n\r\nAAAAA\r\n"
    "--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: 3\r\n\r\nBBB\r\n"
    "--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: 0\r\n\r\n\r\n";

TEST(MultipartBoundary, ReadsTheFormsCamerasWrite) {
  EXPECT_EQ(MultipartBoundary("multipart/x-mixed-replace;boundary=myboundary"), "myboundary");
  EXPECT_EQ(MultipartBoundary("multipart/x-mixed-replace; boundary=\"ip camera\"; x=1"),
            "ip camera");
  EXPECT_EQ(MultipartBoundary("Multipart/X-Mixed-Replace; Boundary = --ipcamera"), "--ipcamera");
  EXPECT_EQ(MultipartBoundary("multipart/x-mixed-replace;boundary=b;charset=x"), "b");
  EXPECT_FALSE(MultipartBoundary("image/jpeg"));
  EXPECT_FALSE(MultipartBoundary("multipart/x-mixed-replace"));
  EXPECT_FALSE(MultipartBoundary("multipart/x-mixed-replace; boundary="));
  EXPECT_FALSE(MultipartBoundary("multipart/x-mixed-replace; boundary=\"open"));
}

TEST(MultipartParser, ReadsPartsWithContentLengthSplitAnywhere) {
  for (size_t piece = 1; piece <= kAxisStream.size(); ++piece) {
    MultipartParser parser("myboundary", 1024);
    Collected out;
    ASSERT_TRUE(FeedAll(parser, kAxisStream, piece, out).ok()) << piece;
    ASSERT_EQ(out.bodies.size(), 3u) << piece;
    EXPECT_EQ(out.bodies[0], "AAAAA");
    EXPECT_EQ(out.bodies[1], "BBB");
    EXPECT_EQ(out.bodies[2], "");
    EXPECT_EQ(out.types[0], "image/jpeg");
  }
}

TEST(MultipartParser, ReadsPartsWithoutLengthAndBareLineFeeds) {
  // A boundary declared with its dashes and written as declared; LF line ends; garbage first.
  const std::string stream =
      "junk before\n--ipcamera\nContent-Type: image/jpeg\n\nFIRST\n--ipcamera\n\nSECOND\r\n"
      "--ipcamera\n";
  for (size_t piece = 1; piece <= stream.size(); ++piece) {
    MultipartParser parser("--ipcamera", 1024);
    Collected out;
    ASSERT_TRUE(FeedAll(parser, stream, piece, out).ok()) << piece;
    ASSERT_EQ(out.bodies.size(), 2u) << piece;
    EXPECT_EQ(out.bodies[0], "FIRST");
    EXPECT_EQ(out.bodies[1], "SECOND");
    EXPECT_EQ(out.types[1], "");
  }
}

TEST(MultipartParser, StopsWhenTheHandlerSaysSo) {
  MultipartParser parser("myboundary", 1024);
  Collected out;
  ASSERT_TRUE(FeedAll(parser, kAxisStream, kAxisStream.size(), out, 1).ok());
  EXPECT_EQ(out.bodies.size(), 1u);
  EXPECT_FALSE(parser.wants_more());
  ASSERT_TRUE(FeedAll(parser, kAxisStream, kAxisStream.size(), out).ok());
  EXPECT_EQ(out.bodies.size(), 1u);
}

TEST(MultipartParser, RefusesOversizedPartsAndHeaders) {
  {
    MultipartParser parser("b", 4);
    Collected out;
    auto fed = FeedAll(parser, "--b\r\nContent-Length: 5\r\n\r\n12345\r\n", 64, out);
    ASSERT_FALSE(fed.ok());
    EXPECT_NE(fed.error().message.find("exceeds"), std::string::npos);
    // Failed for good.
    EXPECT_FALSE(FeedAll(parser, "--b\r\n\r\n1\r\n--b\r\n", 64, out).ok());
  }
  {
    MultipartParser parser("b", 4);
    Collected out;
    EXPECT_FALSE(FeedAll(parser, "--b\r\n\r\n" + std::string(100, 'x'), 7, out).ok());
  }
  {
    MultipartParser parser("b", 1024, 64);
    Collected out;
    EXPECT_FALSE(FeedAll(parser, "--b\r\nX-Pad: " + std::string(100, 'x'), 5, out).ok());
  }
  {
    MultipartParser parser("b", 1024);
    Collected out;
    EXPECT_FALSE(FeedAll(parser, "--b\r\nContent-Length: 12x\r\n\r\n", 64, out).ok());
  }
}

TEST(MultipartParser, BoundedMemoryWhileSearchingForTheBoundary) {
  MultipartParser parser("myboundary", 16);
  Collected out;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(FeedAll(parser, std::string(1000, 'z'), 1000, out).ok());
  }
  ASSERT_TRUE(FeedAll(parser, "\r\n--myboundary\r\nContent-Length: 2\r\n\r\nok", 3, out).ok());
  ASSERT_EQ(out.bodies.size(), 1u);
  EXPECT_EQ(out.bodies[0], "ok");
}

}  // namespace
}  // namespace onvifgw::adapter_sdk

// The relay's pure parts: the RTSP path of a profile and back, and the
// pipeline that pulls each kind of camera stream without transcoding.

#include <gtest/gtest.h>

#include "relay/rtsp_relay.h"
#include "relay/source_pipeline.h"
#include "services/media/relay_source.h"

namespace onvifgw::relay {
namespace {

namespace v1 = ::onvifgw::adapter::v1;
using services::media::ProfileTokenOfRelayPath;
using services::media::RelayPath;

v1::VideoStream Stream(v1::StreamTransport transport, v1::VideoCodec codec, std::string uri) {
  v1::VideoStream s;
  s.set_transport(transport);
  s.set_codec(codec);
  s.set_uri(std::move(uri));
  return s;
}

TEST(RelayPath, KeepsUnreservedCharactersAndEscapesTheRest) {
  EXPECT_EQ(RelayPath("prof_0_main"), "/prof_0_main");
  EXPECT_EQ(RelayPath("a b/c%"), "/a%20b%2Fc%25");
  for (const std::string token : {"prof_0_main", "a b/c%", "\xC3\xA9t\xC3\xA9", "~x-y.z"}) {
    EXPECT_EQ(ProfileTokenOfRelayPath(RelayPath(token)), token) << token;
  }
}

TEST(RelayPath, RefusesWhatNoProfileIsServedAt) {
  for (const char* path : {"", "/", "prof", "/a/b", "/a%2", "/a%zz", "/a%"}) {
    EXPECT_EQ(ProfileTokenOfRelayPath(path), std::nullopt) << path;
  }
}

TEST(RtspTunnel, RecognisesBothHalvesOfATunnelAndNothingElse) {
  EXPECT_TRUE(IsRtspTunnelRequest("GET", "application/x-rtsp-tunnelled", ""));
  EXPECT_TRUE(IsRtspTunnelRequest("GET", "Application/X-RTSP-Tunnelled;q=1", ""));
  EXPECT_TRUE(IsRtspTunnelRequest("POST", "", "application/x-rtsp-tunnelled"));
  EXPECT_TRUE(IsRtspTunnelRequest("POST", "*/*", "application/x-rtsp-tunnelled"));
  // SOAP, snapshots and lookalikes stay HTTP.
  EXPECT_FALSE(IsRtspTunnelRequest("POST", "", "application/soap+xml; charset=utf-8"));
  EXPECT_FALSE(IsRtspTunnelRequest("GET", "image/jpeg", ""));
  EXPECT_FALSE(IsRtspTunnelRequest("GET", "", "application/x-rtsp-tunnelled"));
  EXPECT_FALSE(IsRtspTunnelRequest("POST", "application/x-rtsp-tunnelled", ""));
  EXPECT_FALSE(IsRtspTunnelRequest("GET", "application/x-rtsp-tunnelledx", ""));
  EXPECT_FALSE(
      IsRtspTunnelRequest("PUT", "application/x-rtsp-tunnelled", "application/x-rtsp-tunnelled"));
}

TEST(SourcePipeline, RepayloadsAnUpstreamRtspStreamOfEachCodec) {
  const auto h264 = SourcePipeline(
      Stream(v1::STREAM_TRANSPORT_RTSP, v1::VIDEO_CODEC_H264, "rtsp://u:p@10.0.0.5/live"));
  ASSERT_TRUE(h264.has_value()) << h264.error();
  EXPECT_EQ(*h264,
            "( rtspsrc name=upstream location=\"rtsp://u:p@10.0.0.5/live\" protocols=tcp "
            "latency=100 ! rtph264depay name=ingest ! h264parse config-interval=-1 ! "
            "rtph264pay name=pay0 pt=96 config-interval=-1 )");
  // What replaces a lost camera connection: the same element alone.
  EXPECT_EQ(*UpstreamElement(Stream(v1::STREAM_TRANSPORT_RTSP, v1::VIDEO_CODEC_H264,
                                    "rtsp://u:p@10.0.0.5/live")),
            "rtspsrc name=upstream location=\"rtsp://u:p@10.0.0.5/live\" protocols=tcp "
            "latency=100");
  const auto h265 = SourcePipeline(
      Stream(v1::STREAM_TRANSPORT_UNSPECIFIED, v1::VIDEO_CODEC_H265, "rtsp://cam/h265"));
  ASSERT_TRUE(h265.has_value());
  EXPECT_NE(h265->find("rtph265depay name=ingest ! h265parse"), std::string::npos);
  const auto jpeg =
      SourcePipeline(Stream(v1::STREAM_TRANSPORT_RTSP, v1::VIDEO_CODEC_JPEG, "rtsp://cam/mjpeg"));
  ASSERT_TRUE(jpeg.has_value());
  EXPECT_NE(jpeg->find("rtpjpegdepay name=ingest ! rtpjpegpay name=pay0 pt=26"), std::string::npos);
}

TEST(SourcePipeline, ServesMjpegOverHttpAsRtpJpeg) {
  const auto p = SourcePipeline(Stream(v1::STREAM_TRANSPORT_MJPEG_HTTP, v1::VIDEO_CODEC_JPEG,
                                       "http://10.0.0.6/video.cgi?res=full"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p,
            "( souphttpsrc name=upstream location=\"http://10.0.0.6/video.cgi?res=full\" "
            "is-live=true do-timestamp=true keep-alive=true ! multipartdemux name=ingest "
            "single-stream=true ! image/jpeg ! jpegparse ! rtpjpegpay name=pay0 pt=26 )");
}

TEST(SourcePipeline, PlaysASnapshotOnlyCamerasPicturesAsRtpJpeg) {
  const auto p =
      SourcePipeline(Stream(v1::STREAM_TRANSPORT_SNAPSHOT_ONLY, v1::VIDEO_CODEC_JPEG, ""));
  ASSERT_TRUE(p.has_value()) << p.error();
  EXPECT_EQ(*p,
            "( appsrc name=upstream is-live=true format=time do-timestamp=true caps=image/jpeg ! "
            "jpegparse name=ingest ! rtpjpegpay name=pay0 pt=26 )");
}

TEST(SourcePipeline, RefusesWhatItCannotCarry) {
  EXPECT_FALSE(
      SourcePipeline(Stream(v1::STREAM_TRANSPORT_RTSP, v1::VIDEO_CODEC_UNSPECIFIED, "rtsp://c/x"))
          .has_value());
  // A URI that would break out of the quoting never reaches the parser.
  for (const char* uri :
       {"rtsp://c/x\" ! filesink location=/etc/passwd", "rtsp://c/\\", "rtsp://c/\n"}) {
    EXPECT_FALSE(
        SourcePipeline(Stream(v1::STREAM_TRANSPORT_RTSP, v1::VIDEO_CODEC_H264, uri)).has_value())
        << uri;
  }
}

}  // namespace
}  // namespace onvifgw::relay

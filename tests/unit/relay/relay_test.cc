// The relay's pure parts: the RTSP path of a profile and back, and the
// pipeline that pulls each kind of camera stream (without transcoding, or
// encoding JPEG as H.264 where the device asks for it).

#include <gst/gst.h>
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

TEST(SourcePipeline, EncodesJpegAsH264WhereTheDeviceAsksForIt) {
  const services::media::RelayH264 h264{900, 20, "Main"};
  const auto mjpeg = SourcePipeline(
      Stream(v1::STREAM_TRANSPORT_MJPEG_HTTP, v1::VIDEO_CODEC_JPEG, "http://cam/v.mjpg"), h264);
  ASSERT_TRUE(mjpeg.has_value()) << mjpeg.error();
  const std::string encoding =
      "jpegdec ! videoconvert ! video/x-raw,format=I420 ! x264enc tune=zerolatency "
      "speed-preset=ultrafast bitrate=900 key-int-max=20 ! video/x-h264,profile=main ! "
      "h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 config-interval=-1 )";
  EXPECT_EQ(*mjpeg,
            "( souphttpsrc name=upstream location=\"http://cam/v.mjpg\" is-live=true "
            "do-timestamp=true keep-alive=true ! multipartdemux name=ingest single-stream=true ! "
            "image/jpeg ! jpegparse ! " +
                encoding);
  const auto rtsp =
      SourcePipeline(Stream(v1::STREAM_TRANSPORT_RTSP, v1::VIDEO_CODEC_JPEG, "rtsp://cam/j"), h264);
  ASSERT_TRUE(rtsp.has_value());
  EXPECT_NE(rtsp->find("rtpjpegdepay name=ingest ! " + encoding), std::string::npos) << *rtsp;
  const auto pictures =
      SourcePipeline(Stream(v1::STREAM_TRANSPORT_SNAPSHOT_ONLY, v1::VIDEO_CODEC_JPEG, ""), h264);
  ASSERT_TRUE(pictures.has_value());
  EXPECT_NE(pictures->find("jpegparse name=ingest ! " + encoding), std::string::npos);
  // Only JPEG is encoded, in the profiles x264 makes.
  EXPECT_FALSE(
      SourcePipeline(Stream(v1::STREAM_TRANSPORT_RTSP, v1::VIDEO_CODEC_H264, "rtsp://cam/h"), h264)
          .has_value());
  EXPECT_FALSE(SourcePipeline(Stream(v1::STREAM_TRANSPORT_MJPEG_HTTP, v1::VIDEO_CODEC_JPEG,
                                     "http://cam/v.mjpg"),
                              services::media::RelayH264{900, 20, "Extended"})
                   .has_value());
}

TEST(SourcePipeline, TheH264EncodingRunsOnFourTwoTwoJpeg) {
  // The encoding as the relay builds it, fed with JPEG pictures as cameras
  // often make them (4:2:2), to its H.264 RTP.
  gst_init(nullptr, nullptr);
  for (const char* profile : {"Baseline", "Main", "High"}) {
    const auto p =
        SourcePipeline(Stream(v1::STREAM_TRANSPORT_SNAPSHOT_ONLY, v1::VIDEO_CODEC_JPEG, ""),
                       services::media::RelayH264{500, 10, profile});
    ASSERT_TRUE(p.has_value());
    const std::string chain = p->substr(p->find("jpegdec"));
    const std::string launch =
        "videotestsrc num-buffers=12 ! video/x-raw,width=320,height=240,format=Y42B,"
        "framerate=10/1 ! jpegenc ! " +
        chain.substr(0, chain.rfind(" )")) + " ! fakesink name=out";
    GError* error = nullptr;
    GstElement* pipeline = gst_parse_launch(launch.c_str(), &error);
    ASSERT_NE(pipeline, nullptr) << (error != nullptr ? error->message : "") << "\n" << launch;
    ASSERT_EQ(error, nullptr) << error->message;
    ASSERT_NE(gst_element_set_state(pipeline, GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
    GstBus* bus = gst_element_get_bus(pipeline);
    GstMessage* end = gst_bus_timed_pop_filtered(
        bus, 20 * GST_SECOND, static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
    ASSERT_NE(end, nullptr) << profile << ": no end within 20 s";
    std::string why;
    if (GST_MESSAGE_TYPE(end) == GST_MESSAGE_ERROR) {
      GError* e = nullptr;
      gst_message_parse_error(end, &e, nullptr);
      why = e->message;
      g_error_free(e);
    }
    EXPECT_EQ(GST_MESSAGE_TYPE(end), GST_MESSAGE_EOS) << profile << ": " << why;
    gst_message_unref(end);
    gst_object_unref(bus);
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(pipeline);
  }
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

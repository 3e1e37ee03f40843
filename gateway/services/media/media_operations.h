#pragma once
// What Media (ver10) and Media2 (ver20) do alike: profile management, stream
// and snapshot URIs, and setting configurations. Each service translates its
// own message shapes to and from these; the rules (documented faults, options
// checks, one stored transaction per change) live here once.

#include <functional>
#include <optional>
#include <string>

#include "core/expected.h"
#include "services/media/media_catalog.h"
#include "services/media/media_configurations.h"
#include "services/media/media_profile_store.h"
#include "services/request_context.h"
#include "soap/fault.h"

namespace onvifgw::services::media {

/// The catalog and stored state for one request.
struct MediaView {
  MediaCatalog catalog;
  MediaState state;
  MediaProfileStore* store = nullptr;

  const StoredProfile* Profile(std::string_view token) const { return FindProfile(state, token); }
};

/// Whether the device offers media at all (a store and a camera binding).
bool MediaAvailable(const RequestContext& ctx);
/// The cameras a device presents.
std::vector<CameraBinding> CamerasOf(const RequestContext& ctx);
/// Whether a camera of the device takes snapshots (SnapshotUri capability).
bool SnapshotsOffered(const RequestContext& ctx);
/// ter:Action when the device has no media.
Expected<MediaView, soap::Fault> ViewOf(const RequestContext& ctx);

soap::Fault NoProfile(std::string_view token);
soap::Fault NoConfig(std::string_view token);
soap::Fault ConfigModify(std::string reason);
soap::Fault ConfigurationConflict(std::string reason);
/// ter:ActionNotSupported/ter:AudioNotSupported: the device has no audio input.
soap::Fault AudioNotSupported();

/// The kinds of configuration a profile holds, as Media2 names them.
enum class ConfigurationKind {
  kVideoSource,
  kVideoEncoder,
  kAudioSource,
  kAudioEncoder,
  kMetadata,
  kPtz,
  kOther
};
ConfigurationKind KindOf(std::string_view media2_type);

/// One configuration a profile is to hold; an empty token lets the device
/// choose (Media2 AddConfiguration).
struct ConfigurationRef {
  ConfigurationKind kind = ConfigurationKind::kOther;
  std::string token;
};

/// CreateProfile: `token` empty = the gateway chooses one; `configurations`
/// are added in the same transaction (Media2).
Expected<std::string, soap::Fault> CreateProfile(
    const RequestContext& ctx, const std::string& name, const std::string& token,
    const std::vector<ConfigurationRef>& configurations = {});
Status<soap::Fault> DeleteProfile(const RequestContext& ctx, const std::string& token);

/// Configurations added to a profile (each replacing one of its kind), and
/// the profile renamed when `name` is set: all or nothing. `kOther` kinds do
/// not exist on this device: ter:NoConfig.
Status<soap::Fault> AddConfigurations(const RequestContext& ctx, const std::string& profile,
                                      const std::vector<ConfigurationRef>& configurations,
                                      const std::string& name = {});
/// Removing what a profile does not hold has no effect.
Status<soap::Fault> RemoveConfigurations(const RequestContext& ctx, const std::string& profile,
                                         const std::vector<ConfigurationKind>& kinds);

/// How a client wants to receive a stream.
enum class StreamTransport { kRtspUdp, kRtspTcp, kRtspOverHttp, kMulticast };
Expected<std::string, soap::Fault> StreamUri(const RequestContext& ctx, const std::string& profile,
                                             StreamTransport transport);
Expected<std::string, soap::Fault> SnapshotUri(const RequestContext& ctx,
                                               const std::string& profile);
/// The HTTP path snapshots are served under ("/onvif/snapshot/<source token>").
inline constexpr std::string_view kSnapshotPath = "/onvif/snapshot/";

/// A video encoder configuration as a client asks for it, both services'
/// shapes reduced to one.
struct EncoderChange {
  std::string token;
  std::string name;
  v1::VideoCodec codec = v1::VIDEO_CODEC_UNSPECIFIED;
  uint32_t width = 0;
  uint32_t height = 0;
  float framerate = 0;
  uint32_t bitrate_kbps = 0;
  uint32_t gop_length = 0;
  std::string codec_profile;
  float quality = 0;
  std::optional<tt::MulticastConfiguration> multicast;
  std::string session_timeout;  ///< empty: unchanged
};
/// Checks the change against the encoder's options, has the camera apply
/// what it encodes differently, then stores the names and stream settings.
void SetVideoEncoder(const RequestContext& ctx, EncoderChange change,
                     std::function<void(Status<soap::Fault>)> done);

Status<soap::Fault> SetVideoSourceConfiguration(const RequestContext& ctx,
                                                const tt::VideoSourceConfiguration& c);
Status<soap::Fault> SetMetadataConfiguration(const RequestContext& ctx,
                                             const tt::MetadataConfiguration& c);

/// Encoders that fit a profile: those of its video source, else all.
std::vector<const VideoEncoderEntry*> CompatibleEncoders(const MediaView& view,
                                                         const StoredProfile* profile);

/// An audio encoder configuration as a client asks for it. The camera's
/// audio encodings are fixed: only the names, multicast and session timeout
/// change; other values must be the current ones.
struct AudioEncoderChange {
  std::string token;
  std::string name;
  v1::AudioCodec codec = v1::AUDIO_CODEC_UNSPECIFIED;
  uint32_t bitrate_kbps = 0;
  uint32_t sample_rate_khz = 0;
  std::optional<tt::MulticastConfiguration> multicast;
  std::string session_timeout;  ///< empty: unchanged
};
Status<soap::Fault> SetAudioEncoder(const RequestContext& ctx, const AudioEncoderChange& change);
Status<soap::Fault> SetAudioSourceConfiguration(const RequestContext& ctx,
                                                const tt::AudioSourceConfiguration& c);

/// Audio inputs that fit a profile: the input of its audio encoder, or of
/// the audio its video stream carries, else all.
std::vector<const AudioSourceEntry*> CompatibleAudioSources(const MediaView& view,
                                                            const StoredProfile* profile);
/// Audio encoders that fit a profile: a profile with a video encoder can
/// only hold the audio that stream carries; one with an audio input only
/// that input's encoders.
std::vector<const AudioEncoderEntry*> CompatibleAudioEncoders(const MediaView& view,
                                                              const StoredProfile* profile);

/// The encodings (tt:VideoEncodingMimeNames) the encoders of a video source
/// offer, each once, in catalog order.
std::vector<std::string> SourceEncodings(const MediaCatalog& catalog,
                                         const VideoSourceEntry& source);

/// GetVideoSourceModes (Media and Media2 alike; their response types differ
/// only in namespace): one mode, the source as the camera delivers it, or
/// ter:NoVideoSource.
template <typename Response>
Expected<Response, soap::Fault> VideoSourceModes(const RequestContext& ctx,
                                                 const std::string& source_token) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const VideoSourceEntry* s = v->catalog.Source(source_token);
  if (s == nullptr) {
    return MakeUnexpected(soap::InvalidArgVal("No video source " + source_token, "NoVideoSource"));
  }
  Response r;
  auto* m = r.add_videosourcemodes();
  m->set_token("mode_" + s->part);
  m->set_enabled(true);
  m->set_maxframerate(s->source.framerate());
  m->mutable_maxresolution()->set_width(static_cast<int>(s->source.resolution().width()));
  m->mutable_maxresolution()->set_height(static_cast<int>(s->source.resolution().height()));
  for (const auto& name : SourceEncodings(v->catalog, *s)) m->add_encodings(name);
  m->set_reboot(false);
  return r;
}

}  // namespace onvifgw::services::media

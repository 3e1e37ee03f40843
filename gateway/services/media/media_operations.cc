#include "services/media/media_operations.h"

#include <arpa/inet.h>

#include <cmath>

#include "adapters/fault_map.h"
#include "services/media/relay_encoding.h"
#include "services/media/relay_source.h"
#include "services/media/stream_uri.h"
#include "services/xml_time.h"

namespace onvifgw::services::media {
namespace {

using soap::Fault;

// Appended piecewise: GCC 12 -O3 warns falsely (-Wrestrict) on "lit" + string.
std::string Quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

// Host part of the authority a client used, as it goes into a URL.
std::string ClientHost(const RequestContext& ctx) {
  const AdvertisedAddress a = ParseAdvertisedAddress(ctx.authority);
  if (a.host.find(':') != std::string::npos) return "[" + a.host + "]";
  return a.host;
}

Status<Fault> CheckMulticast(const tt::MulticastConfiguration& m) {
  const auto& a = m.address();
  const bool v6 = a.type() == tt::IPType_IPv6;
  const std::string& text = v6 ? a.ipv6address() : a.ipv4address();
  unsigned char buf[16];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, text.c_str(), buf) != 1) {
    return MakeUnexpected(ConfigModify("Multicast address " + Quoted(text) + " is not an " +
                                       (v6 ? "IPv6" : "IPv4") + " address"));
  }
  if (m.port() < 0 || m.port() > 65535) {
    return MakeUnexpected(ConfigModify("Multicast port must be 0..65535"));
  }
  if (m.ttl() < 0 || m.ttl() > 255)
    return MakeUnexpected(ConfigModify("Multicast TTL must be 0..255"));
  if (m.autostart()) {
    return MakeUnexpected(ConfigModify("The device does not start multicast streams by itself"));
  }
  return {};
}

Status<Fault> CheckSessionTimeout(const std::string& text) {
  if (text.empty()) return {};
  auto d = ParseDuration(text);
  if (!d || d->count() <= 0) {
    return MakeUnexpected(
        ConfigModify("SessionTimeout " + Quoted(text) + " is not a positive duration"));
  }
  return {};
}

void StoreMulticast(const tt::MulticastConfiguration& m, StoredConfiguration* c) {
  auto* s = c->mutable_multicast();
  s->set_address(m.address().type() == tt::IPType_IPv6 ? m.address().ipv6address()
                                                       : m.address().ipv4address());
  s->set_port(static_cast<uint32_t>(m.port()));
  s->set_ttl(static_cast<uint32_t>(m.ttl()));
  s->set_auto_start(m.autostart());
}

std::string Range(float min, float max) {
  auto f = [](float v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  };
  return f(min) + ".." + f(max);
}

// The change against the encoder's options: a fault naming what is outside.
Status<Fault> CheckAgainstOptions(const VideoEncoderEntry& enc, const EncoderChange& c) {
  const v1::EncoderOptions options = EffectiveOptions(enc);
  const v1::CodecOptions* o = CodecOptionsFor(options, c.codec);
  if (o == nullptr) {
    return MakeUnexpected(
        ConfigModify("Encoder " + enc.token + " cannot encode " + MimeName(c.codec)));
  }
  bool resolution_ok = false;
  for (const auto& r : o->resolutions()) {
    if (r.width() == c.width && r.height() == c.height) resolution_ok = true;
  }
  if (!resolution_ok) {
    return MakeUnexpected(ConfigModify("Resolution " + std::to_string(c.width) + "x" +
                                       std::to_string(c.height) + " is not offered for " +
                                       MimeName(c.codec)));
  }
  // Frame rates travel as integers in ver10: allow the rounding.
  if (c.framerate < std::floor(o->framerate().min()) - 0.01f ||
      c.framerate > o->framerate().max() + 0.5f) {
    return MakeUnexpected(ConfigModify("Frame rate must be within " +
                                       Range(o->framerate().min(), o->framerate().max())));
  }
  if (c.bitrate_kbps < o->bitrate_kbps().min() || c.bitrate_kbps > o->bitrate_kbps().max()) {
    return MakeUnexpected(ConfigModify("Bitrate must be within " +
                                       std::to_string(o->bitrate_kbps().min()) + ".." +
                                       std::to_string(o->bitrate_kbps().max()) + " kbit/s"));
  }
  if (c.codec != v1::VIDEO_CODEC_JPEG &&
      (c.gop_length < o->gop_length().min() || c.gop_length > o->gop_length().max())) {
    return MakeUnexpected(ConfigModify("GovLength must be within " +
                                       std::to_string(o->gop_length().min()) + ".." +
                                       std::to_string(o->gop_length().max())));
  }
  if (c.quality < o->quality().min() || c.quality > o->quality().max()) {
    return MakeUnexpected(
        ConfigModify("Quality must be within " + Range(o->quality().min(), o->quality().max())));
  }
  if (!c.codec_profile.empty() && o->codec_profiles_size() > 0 &&
      std::find(o->codec_profiles().begin(), o->codec_profiles().end(), c.codec_profile) ==
          o->codec_profiles().end()) {
    return MakeUnexpected(
        ConfigModify("Profile " + c.codec_profile + " is not offered for " + MimeName(c.codec)));
  }
  return {};
}

// Whether the camera would have to change anything.
bool EncodesDifferently(const v1::VideoStream& s, const EncoderChange& c) {
  return s.codec() != c.codec || s.resolution().width() != c.width ||
         s.resolution().height() != c.height || std::fabs(s.framerate() - c.framerate) > 0.5f ||
         s.bitrate_kbps() != c.bitrate_kbps ||
         (c.codec != v1::VIDEO_CODEC_JPEG && s.gop_length() != c.gop_length) ||
         (!c.codec_profile.empty() && s.codec_profile() != c.codec_profile) ||
         std::fabs(s.quality() - c.quality) > 0.001f;
}

}  // namespace

bool MediaAvailable(const RequestContext& ctx) {
  return ctx.device.media != nullptr && !ctx.device.config.camera.empty();
}

std::vector<CameraBinding> CamerasOf(const RequestContext& ctx) {
  return CameraBindings(ctx.device.config);
}

bool SnapshotsOffered(const RequestContext& ctx) {
  if (ctx.device.adapter == nullptr) return false;
  const auto facts = ctx.device.adapter->facts();
  if (!facts) return false;
  for (const CameraBinding& b : CamerasOf(ctx)) {
    const adapters::CameraFacts* cam = facts->Camera(b.camera_id);
    if (cam != nullptr && cam->description.capabilities().snapshot()) return true;
  }
  return false;
}

Expected<MediaView, Fault> ViewOf(const RequestContext& ctx) {
  if (!MediaAvailable(ctx)) {
    return MakeUnexpected(soap::ActionNotSupported("The device offers no media"));
  }
  MediaView v;
  v.catalog = MediaCatalog::Build(ctx.device.adapter, CamerasOf(ctx));
  v.store = ctx.device.media;
  v.state = v.store->Current(v.catalog);
  PresentRelayEncoding(ctx.device.config, v.state, &v.catalog);
  return v;
}

std::vector<std::string> SourceEncodings(const MediaCatalog& catalog,
                                         const VideoSourceEntry& source) {
  std::vector<std::string> encodings;
  for (const auto& e : catalog.encoders()) {
    if (e.source_token != source.token) continue;
    const v1::EncoderOptions options = EffectiveOptions(e);
    for (const auto& c : options.codecs()) {
      std::string name = MimeName(c.codec());
      if (std::find(encodings.begin(), encodings.end(), name) == encodings.end()) {
        encodings.push_back(std::move(name));
      }
    }
  }
  return encodings;
}

Fault NoProfile(std::string_view token) {
  return soap::InvalidArgVal("No profile " + Quoted(token), "NoProfile");
}
Fault NoConfig(std::string_view token) {
  return soap::InvalidArgVal("No configuration " + Quoted(token), "NoConfig");
}
Fault ConfigModify(std::string reason) {
  return soap::InvalidArgVal(std::move(reason), "ConfigModify");
}
Fault ConfigurationConflict(std::string reason) {
  return soap::ActionFailed(std::move(reason), "ConfigurationConflict");
}

Fault AudioNotSupported() {
  return soap::ActionNotSupported("The device has no audio input", "AudioNotSupported");
}

ConfigurationKind KindOf(std::string_view type) {
  if (type == "VideoSource") return ConfigurationKind::kVideoSource;
  if (type == "VideoEncoder") return ConfigurationKind::kVideoEncoder;
  if (type == "AudioSource") return ConfigurationKind::kAudioSource;
  if (type == "AudioEncoder") return ConfigurationKind::kAudioEncoder;
  if (type == "Metadata") return ConfigurationKind::kMetadata;
  if (type == "PTZ") return ConfigurationKind::kPtz;
  return ConfigurationKind::kOther;
}

namespace {

// One configuration into a profile held in `s` (inside an Update).
std::optional<Fault> AddTo(const MediaCatalog& catalog, StoredProfile* p,
                           const ConfigurationRef& ref) {
  switch (ref.kind) {
    case ConfigurationKind::kVideoSource: {
      const VideoSourceEntry* src = ref.token.empty() && !catalog.sources().empty()
                                        ? &catalog.sources().front()
                                        : catalog.SourceConfiguration(ref.token);
      if (src == nullptr) return NoConfig(ref.token);
      const VideoEncoderEntry* enc = catalog.Encoder(p->video_encoder());
      if (enc != nullptr && enc->source_token != src->token) {
        return ConfigurationConflict("The profile's video encoder belongs to another source");
      }
      p->set_video_source(src->configuration_token);
      return std::nullopt;
    }
    case ConfigurationKind::kVideoEncoder: {
      const VideoSourceEntry* src = catalog.SourceConfiguration(p->video_source());
      const VideoEncoderEntry* enc = catalog.Encoder(ref.token);
      if (ref.token.empty()) {
        for (const auto& e : catalog.encoders()) {
          if (src == nullptr || e.source_token == src->token) {
            enc = &e;
            break;
          }
        }
      }
      if (enc == nullptr) return NoConfig(ref.token);
      if (src != nullptr && enc->source_token != src->token) {
        return ConfigurationConflict("Encoder " + Quoted(enc->token) +
                                     " encodes another video source than the profile's");
      }
      if (!p->audio_encoder().empty() && enc->audio_encoder_token != p->audio_encoder()) {
        return ConfigurationConflict("Stream " + Quoted(enc->token) +
                                     " does not carry the profile's audio " +
                                     Quoted(p->audio_encoder()));
      }
      p->set_video_encoder(enc->token);
      return std::nullopt;
    }
    case ConfigurationKind::kAudioSource: {
      const AudioSourceEntry* input = ref.token.empty() && catalog.has_audio()
                                          ? &catalog.audio_sources().front()
                                          : catalog.AudioSourceConfiguration(ref.token);
      if (ref.token.empty()) {
        // The device chooses: the input whose audio the profile's stream carries.
        const VideoEncoderEntry* video = catalog.Encoder(p->video_encoder());
        if (const AudioEncoderEntry* carried =
                video != nullptr ? catalog.AudioEncoder(video->audio_encoder_token) : nullptr) {
          input = catalog.AudioSource(carried->source_token);
        }
      }
      if (input == nullptr) return NoConfig(ref.token);
      const AudioEncoderEntry* audio = catalog.AudioEncoder(p->audio_encoder());
      if (audio != nullptr && audio->source_token != input->token) {
        return ConfigurationConflict("The profile's audio encoder belongs to another input");
      }
      p->set_audio_source(input->configuration_token);
      return std::nullopt;
    }
    case ConfigurationKind::kAudioEncoder: {
      const AudioEncoderEntry* audio = catalog.AudioEncoder(ref.token);
      const VideoEncoderEntry* video = catalog.Encoder(p->video_encoder());
      const AudioSourceEntry* input = catalog.AudioSourceConfiguration(p->audio_source());
      if (ref.token.empty()) {
        if (video != nullptr) {
          audio = catalog.AudioEncoder(video->audio_encoder_token);
        } else {
          for (const auto& a : catalog.audio_encoders()) {
            if (input == nullptr || a.source_token == input->token) {
              audio = &a;
              break;
            }
          }
        }
      }
      if (audio == nullptr) return NoConfig(ref.token);
      if (input != nullptr && audio->source_token != input->token) {
        return ConfigurationConflict("Audio encoder " + Quoted(audio->token) +
                                     " encodes another input than the profile's");
      }
      if (video != nullptr && video->audio_encoder_token != audio->token) {
        std::string reason = "The profile's stream " + Quoted(video->token);
        if (video->audio_encoder_token.empty()) {
          reason += " carries no audio";
        } else {
          reason += " carries ";
          reason += Quoted(video->audio_encoder_token);
        }
        return ConfigurationConflict(std::move(reason));
      }
      p->set_audio_encoder(audio->token);
      return std::nullopt;
    }
    case ConfigurationKind::kMetadata:
      if (!ref.token.empty() && ref.token != kMetadataToken) return NoConfig(ref.token);
      p->set_metadata(std::string(kMetadataToken));
      return std::nullopt;
    case ConfigurationKind::kPtz: {
      // The device chooses: the head that moves the profile's source.
      const VideoSourceEntry* src = catalog.SourceConfiguration(p->video_source());
      const PtzNodeEntry* head =
          ref.token.empty() ? catalog.PtzNodeMoving(src != nullptr ? src->token : std::string())
                            : catalog.PtzConfiguration(ref.token);
      if (ref.token.empty() && head == nullptr && !catalog.ptz_nodes().empty()) {
        head = &catalog.ptz_nodes().front();
      }
      if (head == nullptr) return NoConfig(ref.token);
      if (src != nullptr && !head->source_token.empty() && head->source_token != src->token) {
        return ConfigurationConflict("PTZ configuration " + Quoted(head->configuration_token) +
                                     " moves another video source than the profile's");
      }
      p->set_ptz(head->configuration_token);
      return std::nullopt;
    }
    case ConfigurationKind::kOther:
      break;
  }
  return NoConfig(ref.token);
}

}  // namespace

Expected<std::string, Fault> CreateProfile(const RequestContext& ctx, const std::string& name,
                                           const std::string& token,
                                           const std::vector<ConfigurationRef>& configurations) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  const MediaCatalog& catalog = view->catalog;
  std::string created;
  auto r = view->store->Update(catalog, [&](MediaState& s) -> std::optional<Fault> {
    if (!token.empty() && FindProfile(s, token) != nullptr) {
      return soap::InvalidArgVal("A profile " + Quoted(token) + " already exists", "ProfileExists");
    }
    if (s.profiles_size() >= MediaProfileStore::kMaxProfiles) {
      return soap::ActionFailed("The device holds at most " +
                                    std::to_string(MediaProfileStore::kMaxProfiles) + " profiles",
                                "MaxNVTProfiles");
    }
    created = token;
    while (created.empty() || FindProfile(s, created) != nullptr) {
      s.set_next_profile_number(s.next_profile_number() + 1);
      created = "profile_" + std::to_string(s.next_profile_number());
    }
    StoredProfile* p = s.add_profiles();
    p->set_token(created);
    p->set_name(name);
    p->set_fixed(false);
    for (const ConfigurationRef& ref : configurations) {
      if (auto fault = AddTo(catalog, p, ref)) return fault;
    }
    return std::nullopt;
  });
  if (!r) return MakeUnexpected(r.error());
  return created;
}

Status<Fault> DeleteProfile(const RequestContext& ctx, const std::string& token) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  auto r = view->store->Update(view->catalog, [&](MediaState& s) -> std::optional<Fault> {
    auto* profiles = s.mutable_profiles();
    for (int i = 0; i < profiles->size(); ++i) {
      if (profiles->Get(i).token() != token) continue;
      if (profiles->Get(i).fixed()) {
        return soap::ActionFailed("Profile " + Quoted(token) + " is fixed",
                                  "DeletionOfFixedProfile");
      }
      profiles->DeleteSubrange(i, 1);
      return std::nullopt;
    }
    return NoProfile(token);
  });
  if (!r) return MakeUnexpected(r.error());
  return {};
}

Status<Fault> AddConfigurations(const RequestContext& ctx, const std::string& profile,
                                const std::vector<ConfigurationRef>& configurations,
                                const std::string& name) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  const MediaCatalog& catalog = view->catalog;
  auto r = view->store->Update(catalog, [&](MediaState& s) -> std::optional<Fault> {
    StoredProfile* p = FindProfile(s, profile);
    if (p == nullptr) return NoProfile(profile);
    if (!name.empty()) p->set_name(name);
    for (const ConfigurationRef& ref : configurations) {
      if (auto fault = AddTo(catalog, p, ref)) return fault;
    }
    return std::nullopt;
  });
  if (!r) return MakeUnexpected(r.error());
  return {};
}

Status<Fault> RemoveConfigurations(const RequestContext& ctx, const std::string& profile,
                                   const std::vector<ConfigurationKind>& kinds) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  auto r = view->store->Update(view->catalog, [&](MediaState& s) -> std::optional<Fault> {
    StoredProfile* p = FindProfile(s, profile);
    if (p == nullptr) return NoProfile(profile);
    // Removing what is not there has no effect (Media §5.3: the NoConfig
    // fault for it is obsolete).
    for (ConfigurationKind kind : kinds) {
      switch (kind) {
        case ConfigurationKind::kVideoSource:
          p->clear_video_source();
          break;
        case ConfigurationKind::kVideoEncoder:
          p->clear_video_encoder();
          break;
        case ConfigurationKind::kAudioSource:
          p->clear_audio_source();
          break;
        case ConfigurationKind::kAudioEncoder:
          p->clear_audio_encoder();
          break;
        case ConfigurationKind::kMetadata:
          p->clear_metadata();
          break;
        case ConfigurationKind::kPtz:
          p->clear_ptz();
          break;
        case ConfigurationKind::kOther:
          break;
      }
    }
    return std::nullopt;
  });
  if (!r) return MakeUnexpected(r.error());
  return {};
}

Expected<std::string, Fault> StreamUri(const RequestContext& ctx, const std::string& profile,
                                       StreamTransport transport) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  const StoredProfile* p = view->Profile(profile);
  if (p == nullptr) return MakeUnexpected(NoProfile(profile));
  const VideoEncoderEntry* enc = view->catalog.Encoder(p->video_encoder());
  if (enc == nullptr) {
    return MakeUnexpected(soap::ActionFailed("The profile has no video encoder configuration",
                                             "IncompleteConfiguration"));
  }
  if (transport == StreamTransport::kMulticast) {
    return MakeUnexpected(
        soap::InvalidArgVal("The device does not stream multicast", "InvalidStreamSetup"));
  }
  if (transport == StreamTransport::kRtspOverHttp && ctx.device.relay == nullptr) {
    // Only the relay's RTSP server can be tunnelled through our web port.
    return MakeUnexpected(soap::InvalidArgVal(
        "RTSP over HTTP needs the media relay (streams: relay), which this device does not use",
        "InvalidStreamSetup"));
  }
  const bool pictures_only = enc->stream.transport() == v1::STREAM_TRANSPORT_SNAPSHOT_ONLY;
  if ((pictures_only && ctx.device.relay == nullptr) ||
      (!pictures_only && enc->stream.uri().empty())) {
    // The relay alone makes a stream of a camera's pictures.
    return MakeUnexpected(soap::InvalidArgVal("This camera takes pictures only: use GetSnapshotUri",
                                              "InvalidStreamSetup"));
  }
  if (transport == StreamTransport::kRtspOverHttp) {
    // Tunnelled on the web service's own port (Media2 §5.3.3: "a URI that
    // uses the same port as the web service"), with the rtsp scheme that
    // tunnelling clients expect (FFmpeg -rtsp_transport http, VLC, VMSes).
    const uint16_t web_port =
        ParseAdvertisedAddress(ctx.authority).port.value_or(ctx.scheme == "https" ? 443 : 80);
    return "rtsp://" + ClientHost(ctx) + ":" + std::to_string(web_port) + RelayPath(profile);
  }
  if (ctx.device.relay != nullptr) {
    // The relay serves every stream the camera has, MJPEG over HTTP included.
    return "rtsp://" + ClientHost(ctx) + ":" + std::to_string(ctx.device.relay->port()) +
           RelayPath(profile);
  }
  if (enc->stream.transport() == v1::STREAM_TRANSPORT_MJPEG_HTTP) {
    // An http:// MJPEG URL is no RTSP stream: handing it out as one breaks
    // RTSP clients. The media relay re-serves such streams over RTSP.
    return MakeUnexpected(soap::InvalidArgVal(
        "This camera streams MJPEG over HTTP only, which is not offered as RTSP",
        "InvalidStreamSetup"));
  }
  return UpstreamUriForClient(enc->stream.uri(), ClientHost(ctx),
                              ctx.device.config.stream_uri_credentials);
}

Expected<std::string, Fault> SnapshotUri(const RequestContext& ctx, const std::string& profile) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  const StoredProfile* p = view->Profile(profile);
  if (p == nullptr) return MakeUnexpected(NoProfile(profile));
  const VideoSourceEntry* src = view->catalog.SourceConfiguration(p->video_source());
  if (src == nullptr) {
    return MakeUnexpected(soap::ActionFailed("The profile has no video source configuration",
                                             "IncompleteConfiguration"));
  }
  const auto facts = ctx.device.adapter->facts();
  const adapters::CameraFacts* cam = facts ? facts->Camera(src->camera_id) : nullptr;
  if (cam == nullptr || !cam->description.capabilities().snapshot()) {
    return MakeUnexpected(soap::ActionNotSupported("The camera takes no snapshots"));
  }
  return ctx.ServiceUrl(std::string(kSnapshotPath) + src->token);
}

void SetVideoEncoder(const RequestContext& ctx, EncoderChange change,
                     std::function<void(Status<Fault>)> done) {
  auto view = ViewOf(ctx);
  if (!view) return done(MakeUnexpected(view.error()));
  const VideoEncoderEntry* enc = view->catalog.Encoder(change.token);
  if (enc == nullptr) return done(MakeUnexpected(NoConfig(change.token)));
  if (change.codec_profile.empty() && change.codec == enc->stream.codec()) {
    change.codec_profile = enc->stream.codec_profile();
  }
  if (auto st = CheckAgainstOptions(*enc, change); !st) return done(st);
  if (change.multicast) {
    if (auto st = CheckMulticast(*change.multicast); !st) return done(st);
  }
  if (auto st = CheckSessionTimeout(change.session_timeout); !st) return done(st);

  MediaProfileStore* store = view->store;
  // The stored parts, written once the camera has the new encoding.
  auto persist = [store, catalog = view->catalog, change,
                  relay_encoded = enc->relay_encoded]() -> Status<Fault> {
    auto r = store->Update(catalog, [&](MediaState& s) -> std::optional<Fault> {
      StoredConfiguration& c = (*s.mutable_configurations())[change.token];
      c.set_name(change.name);
      if (!change.session_timeout.empty()) c.set_session_timeout(change.session_timeout);
      if (change.multicast) StoreMulticast(*change.multicast, &c);
      if (relay_encoded) {
        // The relay's encoder: its settings are ours to keep.
        c.mutable_relay_h264()->set_bitrate_kbps(change.bitrate_kbps);
        c.mutable_relay_h264()->set_gop_length(change.gop_length);
        c.mutable_relay_h264()->set_profile(change.codec_profile);
      }
      return std::nullopt;
    });
    if (!r) return MakeUnexpected(r.error());
    return {};
  };
  if (!EncodesDifferently(enc->stream, change)) return done(persist());
  // What the camera is asked for: with the relay encoding, the picture
  // (size, rate, quality) in JPEG, as it delivers it; the rest is stored.
  const bool relay_encoded = enc->relay_encoded;
  const v1::VideoStream& camera = relay_encoded ? enc->camera_stream : enc->stream;
  if (relay_encoded) {
    change.codec = v1::VIDEO_CODEC_JPEG;
    change.bitrate_kbps = camera.bitrate_kbps();
    change.gop_length = 0;
    change.codec_profile.clear();
    if (!EncodesDifferently(camera, change)) return done(persist());
  }
  if (!(relay_encoded ? enc->camera_configurable : enc->configurable)) {
    return done(MakeUnexpected(ConfigModify("The camera's encoder settings cannot be changed")));
  }
  v1::ApplyVideoEncoderConfigurationRequest req;
  req.set_camera_id(enc->camera_id);
  req.set_source_id(enc->source_id);
  req.set_stream_id(camera.stream_id());
  req.set_codec(change.codec);
  req.mutable_resolution()->set_width(change.width);
  req.mutable_resolution()->set_height(change.height);
  req.set_framerate(change.framerate);
  req.set_bitrate_kbps(change.bitrate_kbps);
  req.set_gop_length(change.codec == v1::VIDEO_CODEC_JPEG ? 0 : change.gop_length);
  req.set_codec_profile(change.codec_profile);
  req.set_quality(change.quality);
  ctx.device.adapter->ApplyVideoEncoderConfiguration(
      std::move(req),
      [persist, done = std::move(done)](const grpc::Status& st, const v1::VideoStream&) {
        if (!st.ok()) {
          Fault f = adapters::FaultFromStatus(st);
          if (st.error_code() == grpc::StatusCode::INVALID_ARGUMENT) f = ConfigModify(f.reason);
          return done(MakeUnexpected(std::move(f)));
        }
        done(persist());
      });
}

Status<Fault> SetVideoSourceConfiguration(const RequestContext& ctx,
                                          const tt::VideoSourceConfiguration& c) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  const VideoSourceEntry* src = view->catalog.SourceConfiguration(c.token());
  if (src == nullptr) return MakeUnexpected(NoConfig(c.token()));
  if (c.sourcetoken() != src->token) {
    return MakeUnexpected(ConfigModify("SourceToken must be " + Quoted(src->token)));
  }
  const auto& b = c.bounds();
  if (b.x() != 0 || b.y() != 0 || b.width() != static_cast<int>(src->source.resolution().width()) ||
      b.height() != static_cast<int>(src->source.resolution().height())) {
    return MakeUnexpected(ConfigModify("Bounds must be the whole picture (no cropping)"));
  }
  auto r = view->store->Update(view->catalog, [&](MediaState& s) -> std::optional<Fault> {
    (*s.mutable_configurations())[c.token()].set_name(c.name());
    return std::nullopt;
  });
  if (!r) return MakeUnexpected(r.error());
  return {};
}

Status<Fault> SetMetadataConfiguration(const RequestContext& ctx,
                                       const tt::MetadataConfiguration& c) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  if (c.token() != kMetadataToken) return MakeUnexpected(NoConfig(c.token()));
  if (c.analytics()) {
    return MakeUnexpected(ConfigModify("The device has no analytics to include"));
  }
  if (c.has_ptzstatus() && (c.ptzstatus().status() || c.ptzstatus().position())) {
    return MakeUnexpected(ConfigModify("The device has no PTZ status to include"));
  }
  if (auto st = CheckMulticast(c.multicast()); !st) return st;
  if (auto st = CheckSessionTimeout(c.sessiontimeout()); !st) return st;
  auto r = view->store->Update(view->catalog, [&](MediaState& s) -> std::optional<Fault> {
    StoredConfiguration& stored = (*s.mutable_configurations())[c.token()];
    stored.set_name(c.name());
    stored.set_session_timeout(c.sessiontimeout());
    StoreMulticast(c.multicast(), &stored);
    stored.set_analytics(false);
    return std::nullopt;
  });
  if (!r) return MakeUnexpected(r.error());
  return {};
}

std::vector<const VideoEncoderEntry*> CompatibleEncoders(const MediaView& view,
                                                         const StoredProfile* profile) {
  const VideoSourceEntry* src =
      profile != nullptr ? view.catalog.SourceConfiguration(profile->video_source()) : nullptr;
  std::vector<const VideoEncoderEntry*> out;
  for (const auto& e : view.catalog.encoders()) {
    if (src == nullptr || e.source_token == src->token) out.push_back(&e);
  }
  return out;
}

Status<Fault> SetAudioSourceConfiguration(const RequestContext& ctx,
                                          const tt::AudioSourceConfiguration& c) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  const AudioSourceEntry* input = view->catalog.AudioSourceConfiguration(c.token());
  if (input == nullptr) return MakeUnexpected(NoConfig(c.token()));
  if (c.sourcetoken() != input->token) {
    return MakeUnexpected(ConfigModify("SourceToken must be " + Quoted(input->token)));
  }
  auto r = view->store->Update(view->catalog, [&](MediaState& s) -> std::optional<Fault> {
    (*s.mutable_configurations())[c.token()].set_name(c.name());
    return std::nullopt;
  });
  if (!r) return MakeUnexpected(r.error());
  return {};
}

Status<Fault> SetAudioEncoder(const RequestContext& ctx, const AudioEncoderChange& change) {
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error());
  const AudioEncoderEntry* audio = view->catalog.AudioEncoder(change.token);
  if (audio == nullptr) return MakeUnexpected(NoConfig(change.token));
  const v1::AudioStream& s = audio->stream;
  if (change.codec != s.codec() || change.bitrate_kbps != s.bitrate_kbps() ||
      change.sample_rate_khz != s.sample_rate_khz()) {
    return MakeUnexpected(ConfigModify("The camera's audio encoding is fixed (" +
                                       AudioMimeName(s.codec()) + ", " +
                                       std::to_string(s.bitrate_kbps()) + " kbit/s, " +
                                       std::to_string(s.sample_rate_khz()) + " kHz)"));
  }
  if (change.multicast) {
    if (auto st = CheckMulticast(*change.multicast); !st) return st;
  }
  if (auto st = CheckSessionTimeout(change.session_timeout); !st) return st;
  auto r = view->store->Update(view->catalog, [&](MediaState& state) -> std::optional<Fault> {
    StoredConfiguration& c = (*state.mutable_configurations())[change.token];
    c.set_name(change.name);
    if (!change.session_timeout.empty()) c.set_session_timeout(change.session_timeout);
    if (change.multicast) StoreMulticast(*change.multicast, &c);
    return std::nullopt;
  });
  if (!r) return MakeUnexpected(r.error());
  return {};
}

std::vector<const AudioSourceEntry*> CompatibleAudioSources(const MediaView& view,
                                                            const StoredProfile* profile) {
  const MediaCatalog& catalog = view.catalog;
  const AudioEncoderEntry* audio = nullptr;
  if (profile != nullptr) {
    audio = catalog.AudioEncoder(profile->audio_encoder());
    if (audio == nullptr) {
      if (const VideoEncoderEntry* video = catalog.Encoder(profile->video_encoder())) {
        audio = catalog.AudioEncoder(video->audio_encoder_token);
      }
    }
  }
  std::vector<const AudioSourceEntry*> out;
  for (const auto& input : catalog.audio_sources()) {
    if (audio == nullptr || audio->source_token == input.token) out.push_back(&input);
  }
  return out;
}

std::vector<const AudioEncoderEntry*> CompatibleAudioEncoders(const MediaView& view,
                                                              const StoredProfile* profile) {
  const MediaCatalog& catalog = view.catalog;
  const VideoEncoderEntry* video =
      profile != nullptr ? catalog.Encoder(profile->video_encoder()) : nullptr;
  const AudioSourceEntry* input =
      profile != nullptr ? catalog.AudioSourceConfiguration(profile->audio_source()) : nullptr;
  std::vector<const AudioEncoderEntry*> out;
  for (const auto& a : catalog.audio_encoders()) {
    if (video != nullptr && video->audio_encoder_token != a.token) continue;
    if (input != nullptr && a.source_token != input->token) continue;
    out.push_back(&a);
  }
  return out;
}

}  // namespace onvifgw::services::media

// The Media service (ver10, media.wsdl): every operation of the WSDL is
// bound here or declared unsupported, and the capabilities say which.
#include "services/media/media_service.h"

#include "onvif/generated/trt.pb.h"
#include "services/media/media_operations.h"
#include "services/service_registry.h"
#include "soap/codec.h"

namespace onvifgw::services::media {
namespace {

namespace trt = ::onvifgw::onvif::trt;
using soap::Fault;

// Configuration kinds the device has none of (analytics, PTZ, audio
// outputs and decoders): the lists are empty and any token is unknown.
template <typename Req, typename Resp>
Expected<Resp, Fault> EmptyList(const RequestContext& ctx, const Req&) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return Resp{};
}

template <typename Req, typename Resp>
Expected<Resp, Fault> NoSuchConfiguration(const RequestContext& ctx, const Req& req) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(NoConfig(req.configurationtoken()));
}

template <typename Req, typename Resp>
Expected<Resp, Fault> NoSuchConfigurationToSet(const RequestContext& ctx, const Req& req) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(NoConfig(req.configuration().token()));
}

// Compatible lists of kinds the device has none of: empty for a profile
// that exists.
template <typename Req, typename Resp>
Expected<Resp, Fault> NoneCompatible(const RequestContext& ctx, const Req& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (v->Profile(req.profiletoken()) == nullptr)
    return MakeUnexpected(NoProfile(req.profiletoken()));
  return Resp{};
}

template <typename Req, typename Resp>
Expected<Resp, Fault> AddOther(const RequestContext& ctx, const Req& req) {
  if (auto st = AddConfigurations(ctx, req.profiletoken(),
                                  {{ConfigurationKind::kOther, req.configurationtoken()}});
      !st) {
    return MakeUnexpected(st.error());
  }
  return Resp{};
}

template <typename Req, typename Resp>
Expected<Resp, Fault> RemoveOther(const RequestContext& ctx, const Req& req) {
  if (auto st = RemoveConfigurations(ctx, req.profiletoken(), {ConfigurationKind::kOther}); !st) {
    return MakeUnexpected(st.error());
  }
  return Resp{};
}

template <ConfigurationKind kKind, typename Req, typename Resp>
Expected<Resp, Fault> Add(const RequestContext& ctx, const Req& req) {
  // Media ver10 names the configuration; only Media2 lets the device choose.
  if (req.configurationtoken().empty()) return MakeUnexpected(NoConfig(""));
  if (auto st = AddConfigurations(ctx, req.profiletoken(), {{kKind, req.configurationtoken()}});
      !st) {
    return MakeUnexpected(st.error());
  }
  return Resp{};
}

template <ConfigurationKind kKind, typename Req, typename Resp>
Expected<Resp, Fault> Remove(const RequestContext& ctx, const Req& req) {
  if (auto st = RemoveConfigurations(ctx, req.profiletoken(), {kKind}); !st) {
    return MakeUnexpected(st.error());
  }
  return Resp{};
}

trt::Capabilities ServiceCapabilities(const RequestContext& ctx) {
  trt::Capabilities c;
  c.mutable_profilecapabilities()->set_maximumnumberofprofiles(MediaProfileStore::kMaxProfiles);
  auto* s = c.mutable_streamingcapabilities();
  // The relay (or, with streams: passthrough, the camera) serves RTP over
  // UDP and interleaved in RTSP; the relay also tunnels RTSP in HTTP on the
  // web service port (no capability flag names that). No multicast.
  s->set_rtpmulticast(false);
  s->set_rtp_tcp(false);
  s->set_rtp_rtsp_tcp(true);
  s->set_nonaggregatecontrol(false);
  s->set_nortspstreaming(false);
  c.set_snapshoturi(SnapshotsOffered(ctx));
  c.set_rotation(false);
  c.set_videosourcemode(false);
  c.set_osd(false);
  c.set_temporaryosdtext(false);
  c.set_exicompression(false);
  return c;
}

Expected<trt::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext& ctx, const trt::GetServiceCapabilities&) {
  trt::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities(ctx);
  return r;
}

// ------------------------------------------------------------------ profiles

Expected<trt::GetProfilesResponse, Fault> GetProfiles(const RequestContext& ctx,
                                                      const trt::GetProfiles&) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::GetProfilesResponse r;
  for (const auto& p : v->state.profiles()) *r.add_profiles() = ProfileOf(p, v->catalog, v->state);
  return r;
}

Expected<trt::GetProfileResponse, Fault> GetProfile(const RequestContext& ctx,
                                                    const trt::GetProfile& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const StoredProfile* p = v->Profile(req.profiletoken());
  if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
  trt::GetProfileResponse r;
  *r.mutable_profile() = ProfileOf(*p, v->catalog, v->state);
  return r;
}

Expected<trt::CreateProfileResponse, Fault> CreateProfileOp(const RequestContext& ctx,
                                                            const trt::CreateProfile& req) {
  auto token = CreateProfile(ctx, req.name(), req.token());
  if (!token) return MakeUnexpected(token.error());
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::CreateProfileResponse r;
  *r.mutable_profile() = ProfileOf(*v->Profile(*token), v->catalog, v->state);
  return r;
}

Expected<trt::DeleteProfileResponse, Fault> DeleteProfileOp(const RequestContext& ctx,
                                                            const trt::DeleteProfile& req) {
  if (auto st = DeleteProfile(ctx, req.profiletoken()); !st) return MakeUnexpected(st.error());
  return trt::DeleteProfileResponse{};
}

// ------------------------------------------------------------- video sources

Expected<trt::GetVideoSourcesResponse, Fault> GetVideoSources(const RequestContext& ctx,
                                                              const trt::GetVideoSources&) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::GetVideoSourcesResponse r;
  for (const auto& s : v->catalog.sources()) *r.add_videosources() = VideoSourceOf(s);
  return r;
}

Expected<trt::GetVideoSourceConfigurationsResponse, Fault> GetVideoSourceConfigurations(
    const RequestContext& ctx, const trt::GetVideoSourceConfigurations&) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::GetVideoSourceConfigurationsResponse r;
  for (const auto& s : v->catalog.sources()) {
    *r.add_configurations() = VideoSourceConfigurationOf(s, v->state);
  }
  return r;
}

Expected<trt::GetVideoSourceConfigurationResponse, Fault> GetVideoSourceConfiguration(
    const RequestContext& ctx, const trt::GetVideoSourceConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const VideoSourceEntry* s = v->catalog.SourceConfiguration(req.configurationtoken());
  if (s == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
  trt::GetVideoSourceConfigurationResponse r;
  *r.mutable_configuration() = VideoSourceConfigurationOf(*s, v->state);
  return r;
}

Expected<trt::GetCompatibleVideoSourceConfigurationsResponse, Fault>
GetCompatibleVideoSourceConfigurations(const RequestContext& ctx,
                                       const trt::GetCompatibleVideoSourceConfigurations& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const StoredProfile* p = v->Profile(req.profiletoken());
  if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
  const VideoEncoderEntry* enc = v->catalog.Encoder(p->video_encoder());
  trt::GetCompatibleVideoSourceConfigurationsResponse r;
  for (const auto& s : v->catalog.sources()) {
    if (enc == nullptr || enc->source_token == s.token) {
      *r.add_configurations() = VideoSourceConfigurationOf(s, v->state);
    }
  }
  return r;
}

Expected<trt::GetVideoSourceConfigurationOptionsResponse, Fault> GetVideoSourceConfigurationOptions(
    const RequestContext& ctx, const trt::GetVideoSourceConfigurationOptions& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const VideoSourceEntry* s = nullptr;
  if (req.has_configurationtoken()) {
    s = v->catalog.SourceConfiguration(req.configurationtoken());
    if (s == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
  } else if (req.has_profiletoken()) {
    const StoredProfile* p = v->Profile(req.profiletoken());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
    s = v->catalog.SourceConfiguration(p->video_source());
  }
  if (s == nullptr && !v->catalog.sources().empty()) s = &v->catalog.sources().front();
  if (s == nullptr)
    return MakeUnexpected(soap::ActionFailed("The camera has not been reached yet"));
  trt::GetVideoSourceConfigurationOptionsResponse r;
  *r.mutable_options() = VideoSourceConfigurationOptionsOf(*s);
  return r;
}

Expected<trt::SetVideoSourceConfigurationResponse, Fault> SetVideoSourceConfigurationOp(
    const RequestContext& ctx, const trt::SetVideoSourceConfiguration& req) {
  if (auto st = SetVideoSourceConfiguration(ctx, req.configuration()); !st) {
    return MakeUnexpected(st.error());
  }
  return trt::SetVideoSourceConfigurationResponse{};
}

Expected<trt::GetVideoSourceModesResponse, Fault> GetVideoSourceModes(
    const RequestContext& ctx, const trt::GetVideoSourceModes& req) {
  return VideoSourceModes<trt::GetVideoSourceModesResponse>(ctx, req.videosourcetoken());
}

// ------------------------------------------------------------ video encoders

Expected<trt::GetVideoEncoderConfigurationsResponse, Fault> GetVideoEncoderConfigurations(
    const RequestContext& ctx, const trt::GetVideoEncoderConfigurations&) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::GetVideoEncoderConfigurationsResponse r;
  for (const auto& e : v->catalog.encoders()) {
    if (auto c = VideoEncoderConfigurationOf(e, v->state)) *r.add_configurations() = *c;
  }
  return r;
}

Expected<trt::GetVideoEncoderConfigurationResponse, Fault> GetVideoEncoderConfiguration(
    const RequestContext& ctx, const trt::GetVideoEncoderConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const VideoEncoderEntry* e = v->catalog.Encoder(req.configurationtoken());
  auto c = e != nullptr ? VideoEncoderConfigurationOf(*e, v->state) : std::nullopt;
  if (!c) return MakeUnexpected(NoConfig(req.configurationtoken()));
  trt::GetVideoEncoderConfigurationResponse r;
  *r.mutable_configuration() = *c;
  return r;
}

Expected<trt::GetCompatibleVideoEncoderConfigurationsResponse, Fault>
GetCompatibleVideoEncoderConfigurations(const RequestContext& ctx,
                                        const trt::GetCompatibleVideoEncoderConfigurations& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const StoredProfile* p = v->Profile(req.profiletoken());
  if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
  trt::GetCompatibleVideoEncoderConfigurationsResponse r;
  for (const VideoEncoderEntry* e : CompatibleEncoders(*v, p)) {
    if (auto c = VideoEncoderConfigurationOf(*e, v->state)) *r.add_configurations() = *c;
  }
  return r;
}

Expected<trt::GetVideoEncoderConfigurationOptionsResponse, Fault>
GetVideoEncoderConfigurationOptions(const RequestContext& ctx,
                                    const trt::GetVideoEncoderConfigurationOptions& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  std::vector<const VideoEncoderEntry*> encoders;
  if (req.has_configurationtoken()) {
    const VideoEncoderEntry* e = v->catalog.Encoder(req.configurationtoken());
    if (e == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
    encoders.push_back(e);
  } else if (req.has_profiletoken()) {
    const StoredProfile* p = v->Profile(req.profiletoken());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
    encoders = CompatibleEncoders(*v, p);
  } else {
    encoders = CompatibleEncoders(*v, nullptr);
  }
  trt::GetVideoEncoderConfigurationOptionsResponse r;
  *r.mutable_options() = VideoEncoderConfigurationOptionsOf(encoders);
  return r;
}

void SetVideoEncoderConfigurationOp(const RequestContext& ctx,
                                    const trt::SetVideoEncoderConfiguration& req, Completion done) {
  const tt::VideoEncoderConfiguration& c = req.configuration();
  auto v = ViewOf(ctx);
  if (!v) return done(MakeUnexpected(v.error()));
  const VideoEncoderEntry* current = v->catalog.Encoder(c.token());
  if (current == nullptr) return done(MakeUnexpected(NoConfig(c.token())));
  EncoderChange change;
  change.token = c.token();
  change.name = c.name();
  change.codec = CodecFromVer10(c.encoding());
  change.width = static_cast<uint32_t>(std::max(0, c.resolution().width()));
  change.height = static_cast<uint32_t>(std::max(0, c.resolution().height()));
  change.quality = c.quality();
  // What the request leaves out stays as it is.
  const v1::VideoStream& s = current->stream;
  change.framerate = s.framerate();
  change.bitrate_kbps = s.bitrate_kbps();
  change.gop_length = s.gop_length();
  if (c.has_ratecontrol()) {
    if (c.ratecontrol().encodinginterval() != 1) {
      return done(MakeUnexpected(ConfigModify("EncodingInterval must be 1")));
    }
    change.framerate = static_cast<float>(c.ratecontrol().frameratelimit());
    if (std::abs(change.framerate - s.framerate()) < 1.0f) change.framerate = s.framerate();
    change.bitrate_kbps = static_cast<uint32_t>(std::max(0, c.ratecontrol().bitratelimit()));
  }
  if (change.codec == v1::VIDEO_CODEC_H264 && c.has_h264()) {
    change.gop_length = static_cast<uint32_t>(std::max(0, c.h264().govlength()));
    change.codec_profile = soap::XmlValue(c.h264().h264profile());
  }
  if (change.codec == v1::VIDEO_CODEC_MPEG4 && c.has_mpeg4()) {
    change.gop_length = static_cast<uint32_t>(std::max(0, c.mpeg4().govlength()));
    change.codec_profile = soap::XmlValue(c.mpeg4().mpeg4profile());
  }
  change.multicast = c.multicast();
  change.session_timeout = c.sessiontimeout();
  SetVideoEncoder(ctx, std::move(change), [done = std::move(done)](Status<Fault> st) {
    if (!st) return done(MakeUnexpected(st.error()));
    done(Ok(trt::SetVideoEncoderConfigurationResponse{}));
  });
}

Expected<trt::GetGuaranteedNumberOfVideoEncoderInstancesResponse, Fault>
GetGuaranteedNumberOfVideoEncoderInstances(
    const RequestContext& ctx, const trt::GetGuaranteedNumberOfVideoEncoderInstances& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const VideoSourceEntry* s = v->catalog.SourceConfiguration(req.configurationtoken());
  if (s == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
  // Each stream is an encoder of its own: all of a source's run at once.
  int total = 0, jpeg = 0, h264 = 0, mpeg4 = 0;
  for (const auto& e : v->catalog.encoders()) {
    if (e.source_token != s->token) continue;
    ++total;
    const v1::EncoderOptions o = EffectiveOptions(e);
    if (CodecOptionsFor(o, v1::VIDEO_CODEC_JPEG)) ++jpeg;
    if (CodecOptionsFor(o, v1::VIDEO_CODEC_H264)) ++h264;
    if (CodecOptionsFor(o, v1::VIDEO_CODEC_MPEG4)) ++mpeg4;
  }
  trt::GetGuaranteedNumberOfVideoEncoderInstancesResponse r;
  r.set_totalnumber(total);
  if (jpeg > 0) r.set_jpeg(jpeg);
  if (h264 > 0) r.set_h264(h264);
  if (mpeg4 > 0) r.set_mpeg4(mpeg4);
  return r;
}

// ------------------------------------------------------------------ metadata

Expected<trt::GetMetadataConfigurationsResponse, Fault> GetMetadataConfigurations(
    const RequestContext& ctx, const trt::GetMetadataConfigurations&) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::GetMetadataConfigurationsResponse r;
  *r.add_configurations() = MetadataConfigurationOf(v->state);
  return r;
}

Expected<trt::GetMetadataConfigurationResponse, Fault> GetMetadataConfiguration(
    const RequestContext& ctx, const trt::GetMetadataConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (req.configurationtoken() != kMetadataToken) {
    return MakeUnexpected(NoConfig(req.configurationtoken()));
  }
  trt::GetMetadataConfigurationResponse r;
  *r.mutable_configuration() = MetadataConfigurationOf(v->state);
  return r;
}

Expected<trt::GetCompatibleMetadataConfigurationsResponse, Fault>
GetCompatibleMetadataConfigurations(const RequestContext& ctx,
                                    const trt::GetCompatibleMetadataConfigurations& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (v->Profile(req.profiletoken()) == nullptr) {
    return MakeUnexpected(NoProfile(req.profiletoken()));
  }
  trt::GetCompatibleMetadataConfigurationsResponse r;
  *r.add_configurations() = MetadataConfigurationOf(v->state);
  return r;
}

Expected<trt::GetMetadataConfigurationOptionsResponse, Fault> GetMetadataConfigurationOptions(
    const RequestContext& ctx, const trt::GetMetadataConfigurationOptions& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (req.has_configurationtoken() && req.configurationtoken() != kMetadataToken) {
    return MakeUnexpected(NoConfig(req.configurationtoken()));
  }
  if (req.has_profiletoken() && v->Profile(req.profiletoken()) == nullptr) {
    return MakeUnexpected(NoProfile(req.profiletoken()));
  }
  trt::GetMetadataConfigurationOptionsResponse r;
  *r.mutable_options() = MetadataConfigurationOptionsOf();
  return r;
}

Expected<trt::SetMetadataConfigurationResponse, Fault> SetMetadataConfigurationOp(
    const RequestContext& ctx, const trt::SetMetadataConfiguration& req) {
  if (auto st = SetMetadataConfiguration(ctx, req.configuration()); !st) {
    return MakeUnexpected(st.error());
  }
  return trt::SetMetadataConfigurationResponse{};
}

// --------------------------------------------------------------------- audio
// A device without audio inputs answers every audio source and encoder
// operation with the documented ter:AudioNotSupported (Media §5.7, §5.8).

Expected<MediaView, Fault> AudioViewOf(const RequestContext& ctx) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (!v->catalog.has_audio()) return MakeUnexpected(AudioNotSupported());
  return v;
}

Expected<trt::GetAudioSourcesResponse, Fault> GetAudioSources(const RequestContext& ctx,
                                                              const trt::GetAudioSources&) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::GetAudioSourcesResponse r;
  for (const auto& a : v->catalog.audio_sources()) *r.add_audiosources() = AudioSourceOf(a);
  return r;
}

Expected<trt::GetAudioSourceConfigurationsResponse, Fault> GetAudioSourceConfigurations(
    const RequestContext& ctx, const trt::GetAudioSourceConfigurations&) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::GetAudioSourceConfigurationsResponse r;
  for (const auto& a : v->catalog.audio_sources()) {
    *r.add_configurations() = AudioSourceConfigurationOf(a, v->state);
  }
  return r;
}

Expected<trt::GetAudioSourceConfigurationResponse, Fault> GetAudioSourceConfiguration(
    const RequestContext& ctx, const trt::GetAudioSourceConfiguration& req) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const AudioSourceEntry* a = v->catalog.AudioSourceConfiguration(req.configurationtoken());
  if (a == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
  trt::GetAudioSourceConfigurationResponse r;
  *r.mutable_configuration() = AudioSourceConfigurationOf(*a, v->state);
  return r;
}

Expected<trt::GetCompatibleAudioSourceConfigurationsResponse, Fault>
GetCompatibleAudioSourceConfigurations(const RequestContext& ctx,
                                       const trt::GetCompatibleAudioSourceConfigurations& req) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const StoredProfile* p = v->Profile(req.profiletoken());
  if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
  trt::GetCompatibleAudioSourceConfigurationsResponse r;
  for (const AudioSourceEntry* a : CompatibleAudioSources(*v, p)) {
    *r.add_configurations() = AudioSourceConfigurationOf(*a, v->state);
  }
  return r;
}

Expected<trt::GetAudioSourceConfigurationOptionsResponse, Fault> GetAudioSourceConfigurationOptions(
    const RequestContext& ctx, const trt::GetAudioSourceConfigurationOptions& req) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  std::vector<const AudioSourceEntry*> inputs;
  if (req.has_configurationtoken()) {
    // A configuration shows one input, always the same.
    const AudioSourceEntry* a = v->catalog.AudioSourceConfiguration(req.configurationtoken());
    if (a == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
    inputs.push_back(a);
  } else if (req.has_profiletoken()) {
    const StoredProfile* p = v->Profile(req.profiletoken());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
    inputs = CompatibleAudioSources(*v, p);
  } else {
    inputs = CompatibleAudioSources(*v, nullptr);
  }
  trt::GetAudioSourceConfigurationOptionsResponse r;
  *r.mutable_options() = AudioSourceConfigurationOptionsOf(inputs);
  return r;
}

Expected<trt::SetAudioSourceConfigurationResponse, Fault> SetAudioSourceConfigurationOp(
    const RequestContext& ctx, const trt::SetAudioSourceConfiguration& req) {
  if (auto v = AudioViewOf(ctx); !v) return MakeUnexpected(v.error());
  if (auto st = SetAudioSourceConfiguration(ctx, req.configuration()); !st) {
    return MakeUnexpected(st.error());
  }
  return trt::SetAudioSourceConfigurationResponse{};
}

Expected<trt::GetAudioEncoderConfigurationsResponse, Fault> GetAudioEncoderConfigurations(
    const RequestContext& ctx, const trt::GetAudioEncoderConfigurations&) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  trt::GetAudioEncoderConfigurationsResponse r;
  for (const auto& a : v->catalog.audio_encoders()) {
    if (auto c = AudioEncoderConfigurationOf(a, v->state)) *r.add_configurations() = *c;
  }
  return r;
}

Expected<trt::GetAudioEncoderConfigurationResponse, Fault> GetAudioEncoderConfiguration(
    const RequestContext& ctx, const trt::GetAudioEncoderConfiguration& req) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const AudioEncoderEntry* a = v->catalog.AudioEncoder(req.configurationtoken());
  auto c = a != nullptr ? AudioEncoderConfigurationOf(*a, v->state) : std::nullopt;
  if (!c) return MakeUnexpected(NoConfig(req.configurationtoken()));
  trt::GetAudioEncoderConfigurationResponse r;
  *r.mutable_configuration() = *c;
  return r;
}

Expected<trt::GetCompatibleAudioEncoderConfigurationsResponse, Fault>
GetCompatibleAudioEncoderConfigurations(const RequestContext& ctx,
                                        const trt::GetCompatibleAudioEncoderConfigurations& req) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const StoredProfile* p = v->Profile(req.profiletoken());
  if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
  trt::GetCompatibleAudioEncoderConfigurationsResponse r;
  for (const AudioEncoderEntry* a : CompatibleAudioEncoders(*v, p)) {
    if (auto c = AudioEncoderConfigurationOf(*a, v->state)) *r.add_configurations() = *c;
  }
  return r;
}

Expected<trt::GetAudioEncoderConfigurationOptionsResponse, Fault>
GetAudioEncoderConfigurationOptions(const RequestContext& ctx,
                                    const trt::GetAudioEncoderConfigurationOptions& req) {
  auto v = AudioViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  std::vector<const AudioEncoderEntry*> encoders;
  if (req.has_configurationtoken()) {
    const AudioEncoderEntry* a = v->catalog.AudioEncoder(req.configurationtoken());
    if (a == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
    encoders.push_back(a);
  } else if (req.has_profiletoken()) {
    const StoredProfile* p = v->Profile(req.profiletoken());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
    encoders = CompatibleAudioEncoders(*v, p);
  } else {
    encoders = CompatibleAudioEncoders(*v, nullptr);
  }
  trt::GetAudioEncoderConfigurationOptionsResponse r;
  *r.mutable_options() = AudioEncoderConfigurationOptionsOf(encoders);
  return r;
}

Expected<trt::SetAudioEncoderConfigurationResponse, Fault> SetAudioEncoderConfigurationOp(
    const RequestContext& ctx, const trt::SetAudioEncoderConfiguration& req) {
  if (auto v = AudioViewOf(ctx); !v) return MakeUnexpected(v.error());
  const tt::AudioEncoderConfiguration& c = req.configuration();
  AudioEncoderChange change;
  change.token = c.token();
  change.name = c.name();
  change.codec = AudioCodecFromVer10(c.encoding());
  change.bitrate_kbps = static_cast<uint32_t>(std::max(0, c.bitrate()));
  change.sample_rate_khz = static_cast<uint32_t>(std::max(0, c.samplerate()));
  change.multicast = c.multicast();
  change.session_timeout = c.sessiontimeout();
  if (auto st = SetAudioEncoder(ctx, change); !st) return MakeUnexpected(st.error());
  return trt::SetAudioEncoderConfigurationResponse{};
}

template <ConfigurationKind kKind, typename Req, typename Resp>
Expected<Resp, Fault> AddAudio(const RequestContext& ctx, const Req& req) {
  if (auto v = AudioViewOf(ctx); !v) return MakeUnexpected(v.error());
  return Add<kKind, Req, Resp>(ctx, req);
}

template <ConfigurationKind kKind, typename Req, typename Resp>
Expected<Resp, Fault> RemoveAudio(const RequestContext& ctx, const Req& req) {
  if (auto v = AudioViewOf(ctx); !v) return MakeUnexpected(v.error());
  return Remove<kKind, Req, Resp>(ctx, req);
}

// ----------------------------------------------------------------- URIs

Expected<trt::GetStreamUriResponse, Fault> GetStreamUri(const RequestContext& ctx,
                                                        const trt::GetStreamUri& req) {
  StreamTransport transport = StreamTransport::kRtspUdp;
  if (req.streamsetup().stream() == tt::StreamType_RTP_Multicast) {
    transport = StreamTransport::kMulticast;
  } else {
    switch (req.streamsetup().transport().protocol()) {
      case tt::TransportProtocol_UDP:
        transport = StreamTransport::kRtspUdp;
        break;
      case tt::TransportProtocol_HTTP:
        transport = StreamTransport::kRtspOverHttp;
        break;
      default:  // RTSP, and the deprecated TCP
        transport = StreamTransport::kRtspTcp;
        break;
    }
  }
  auto uri = StreamUri(ctx, req.profiletoken(), transport);
  if (!uri) return MakeUnexpected(uri.error());
  trt::GetStreamUriResponse r;
  auto* m = r.mutable_mediauri();
  m->set_uri(*uri);
  m->set_invalidafterconnect(false);
  m->set_invalidafterreboot(false);
  m->set_timeout("PT0S");
  return r;
}

Expected<trt::GetSnapshotUriResponse, Fault> GetSnapshotUri(const RequestContext& ctx,
                                                            const trt::GetSnapshotUri& req) {
  auto uri = SnapshotUri(ctx, req.profiletoken());
  if (!uri) return MakeUnexpected(uri.error());
  trt::GetSnapshotUriResponse r;
  auto* m = r.mutable_mediauri();
  m->set_uri(*uri);
  m->set_invalidafterconnect(false);
  m->set_invalidafterreboot(false);
  m->set_timeout("PT0S");
  return r;
}

// ---------------------------------------------------------------------- OSD
// The gateway draws nothing on the picture: an honest empty list, options
// saying none can be created, and every OSD token unknown.

Expected<trt::GetOSDsResponse, Fault> GetOSDs(const RequestContext& ctx, const trt::GetOSDs& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (req.has_configurationtoken() &&
      v->catalog.SourceConfiguration(req.configurationtoken()) == nullptr) {
    return MakeUnexpected(NoConfig(req.configurationtoken()));
  }
  return trt::GetOSDsResponse{};
}

Expected<trt::GetOSDResponse, Fault> GetOSD(const RequestContext& ctx, const trt::GetOSD& req) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(NoConfig(req.osdtoken()));
}

Expected<trt::GetOSDOptionsResponse, Fault> GetOSDOptions(const RequestContext& ctx,
                                                          const trt::GetOSDOptions& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (v->catalog.SourceConfiguration(req.configurationtoken()) == nullptr) {
    return MakeUnexpected(NoConfig(req.configurationtoken()));
  }
  trt::GetOSDOptionsResponse r;
  auto* o = r.mutable_osdoptions();
  o->mutable_maximumnumberofosds()->set_total(0);
  o->add_type(tt::OSDType_Text);
  o->add_positionoption("UpperLeft");
  return r;
}

Expected<trt::SetOSDResponse, Fault> SetOSD(const RequestContext& ctx, const trt::SetOSD& req) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(NoConfig(req.osd().token()));
}

Expected<trt::CreateOSDResponse, Fault> CreateOSD(const RequestContext& ctx,
                                                  const trt::CreateOSD&) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(soap::ActionFailed("The device draws no OSDs", "MaxOSDs"));
}

Expected<trt::DeleteOSDResponse, Fault> DeleteOSD(const RequestContext& ctx,
                                                  const trt::DeleteOSD& req) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(NoConfig(req.osdtoken()));
}

std::string MediaCapabilitiesFragment(const RequestContext& ctx) {
  return soap::EncodeFragment(ServiceCapabilities(ctx), "trt", "Capabilities");
}

}  // namespace

void ServeMedia(ServiceRegistry& registry) {
  using K = ConfigurationKind;
  ServiceDescription d;
  d.path = std::string(kMediaPath);
  d.available = MediaAvailable;
  d.capabilities = MediaCapabilitiesFragment;
  d.legacy_category = "Media";
  d.legacy_capabilities = [](const RequestContext& ctx, tt::Capabilities* caps) {
    auto* m = caps->mutable_media();
    m->set_xaddr(ctx.ServiceUrl(kMediaPath));
    auto* s = m->mutable_streamingcapabilities();
    s->set_rtpmulticast(false);
    s->set_rtp_tcp(false);
    s->set_rtp_rtsp_tcp(true);
    m->mutable_extension()->mutable_profilecapabilities()->set_maximumnumberofprofiles(
        MediaProfileStore::kMaxProfiles);
  };
  ServiceBinder b = registry.Serve("trt", std::move(d));
  b.Bind("GetServiceCapabilities", GetServiceCapabilities)
      .Bind("GetProfiles", GetProfiles)
      .Bind("GetProfile", GetProfile)
      .Bind("CreateProfile", CreateProfileOp)
      .Bind("DeleteProfile", DeleteProfileOp)
      .Bind("GetVideoSources", GetVideoSources)
      .Bind("GetVideoSourceConfigurations", GetVideoSourceConfigurations)
      .Bind("GetVideoSourceConfiguration", GetVideoSourceConfiguration)
      .Bind("GetCompatibleVideoSourceConfigurations", GetCompatibleVideoSourceConfigurations)
      .Bind("GetVideoSourceConfigurationOptions", GetVideoSourceConfigurationOptions)
      .Bind("SetVideoSourceConfiguration", SetVideoSourceConfigurationOp)
      .Bind("GetVideoSourceModes", GetVideoSourceModes)
      .Bind("GetVideoEncoderConfigurations", GetVideoEncoderConfigurations)
      .Bind("GetVideoEncoderConfiguration", GetVideoEncoderConfiguration)
      .Bind("GetCompatibleVideoEncoderConfigurations", GetCompatibleVideoEncoderConfigurations)
      .Bind("GetVideoEncoderConfigurationOptions", GetVideoEncoderConfigurationOptions)
      .Bind("SetVideoEncoderConfiguration", SetVideoEncoderConfigurationOp)
      .Bind("GetGuaranteedNumberOfVideoEncoderInstances",
            GetGuaranteedNumberOfVideoEncoderInstances)
      .Bind("GetMetadataConfigurations", GetMetadataConfigurations)
      .Bind("GetMetadataConfiguration", GetMetadataConfiguration)
      .Bind("GetCompatibleMetadataConfigurations", GetCompatibleMetadataConfigurations)
      .Bind("GetMetadataConfigurationOptions", GetMetadataConfigurationOptions)
      .Bind("SetMetadataConfiguration", SetMetadataConfigurationOp)
      .Bind("GetStreamUri", GetStreamUri)
      .Bind("GetSnapshotUri", GetSnapshotUri)
      .Bind("GetOSDs", GetOSDs)
      .Bind("GetOSD", GetOSD)
      .Bind("GetOSDOptions", GetOSDOptions)
      .Bind("SetOSD", SetOSD)
      .Bind("CreateOSD", CreateOSD)
      .Bind("DeleteOSD", DeleteOSD)
      // Profile composition.
      .Bind("AddVideoSourceConfiguration", Add<K::kVideoSource, trt::AddVideoSourceConfiguration,
                                               trt::AddVideoSourceConfigurationResponse>)
      .Bind("RemoveVideoSourceConfiguration",
            Remove<K::kVideoSource, trt::RemoveVideoSourceConfiguration,
                   trt::RemoveVideoSourceConfigurationResponse>)
      .Bind("AddVideoEncoderConfiguration", Add<K::kVideoEncoder, trt::AddVideoEncoderConfiguration,
                                                trt::AddVideoEncoderConfigurationResponse>)
      .Bind("RemoveVideoEncoderConfiguration",
            Remove<K::kVideoEncoder, trt::RemoveVideoEncoderConfiguration,
                   trt::RemoveVideoEncoderConfigurationResponse>)
      .Bind("AddMetadataConfiguration",
            Add<K::kMetadata, trt::AddMetadataConfiguration, trt::AddMetadataConfigurationResponse>)
      .Bind("RemoveMetadataConfiguration", Remove<K::kMetadata, trt::RemoveMetadataConfiguration,
                                                  trt::RemoveMetadataConfigurationResponse>)
      .Bind("AddPTZConfiguration",
            Add<K::kPtz, trt::AddPTZConfiguration, trt::AddPTZConfigurationResponse>)
      .Bind("RemovePTZConfiguration",
            Remove<K::kPtz, trt::RemovePTZConfiguration, trt::RemovePTZConfigurationResponse>)
      .Bind("AddVideoAnalyticsConfiguration", AddOther<trt::AddVideoAnalyticsConfiguration,
                                                       trt::AddVideoAnalyticsConfigurationResponse>)
      .Bind("RemoveVideoAnalyticsConfiguration",
            RemoveOther<trt::RemoveVideoAnalyticsConfiguration,
                        trt::RemoveVideoAnalyticsConfigurationResponse>)
      .Bind("AddAudioOutputConfiguration",
            AddOther<trt::AddAudioOutputConfiguration, trt::AddAudioOutputConfigurationResponse>)
      .Bind("RemoveAudioOutputConfiguration",
            RemoveOther<trt::RemoveAudioOutputConfiguration,
                        trt::RemoveAudioOutputConfigurationResponse>)
      .Bind("AddAudioDecoderConfiguration",
            AddOther<trt::AddAudioDecoderConfiguration, trt::AddAudioDecoderConfigurationResponse>)
      .Bind("RemoveAudioDecoderConfiguration",
            RemoveOther<trt::RemoveAudioDecoderConfiguration,
                        trt::RemoveAudioDecoderConfigurationResponse>)
      // Kinds the device has none of.
      .Bind("GetVideoAnalyticsConfigurations",
            EmptyList<trt::GetVideoAnalyticsConfigurations,
                      trt::GetVideoAnalyticsConfigurationsResponse>)
      .Bind("GetAudioOutputConfigurations",
            EmptyList<trt::GetAudioOutputConfigurations, trt::GetAudioOutputConfigurationsResponse>)
      .Bind(
          "GetAudioDecoderConfigurations",
          EmptyList<trt::GetAudioDecoderConfigurations, trt::GetAudioDecoderConfigurationsResponse>)
      .Bind("GetAudioOutputs", EmptyList<trt::GetAudioOutputs, trt::GetAudioOutputsResponse>)
      .Bind("GetVideoAnalyticsConfiguration",
            NoSuchConfiguration<trt::GetVideoAnalyticsConfiguration,
                                trt::GetVideoAnalyticsConfigurationResponse>)
      .Bind("GetAudioOutputConfiguration",
            NoSuchConfiguration<trt::GetAudioOutputConfiguration,
                                trt::GetAudioOutputConfigurationResponse>)
      .Bind("GetAudioDecoderConfiguration",
            NoSuchConfiguration<trt::GetAudioDecoderConfiguration,
                                trt::GetAudioDecoderConfigurationResponse>)
      .Bind("GetCompatibleVideoAnalyticsConfigurations",
            NoneCompatible<trt::GetCompatibleVideoAnalyticsConfigurations,
                           trt::GetCompatibleVideoAnalyticsConfigurationsResponse>)
      .Bind("GetCompatibleAudioOutputConfigurations",
            NoneCompatible<trt::GetCompatibleAudioOutputConfigurations,
                           trt::GetCompatibleAudioOutputConfigurationsResponse>)
      .Bind("GetCompatibleAudioDecoderConfigurations",
            NoneCompatible<trt::GetCompatibleAudioDecoderConfigurations,
                           trt::GetCompatibleAudioDecoderConfigurationsResponse>)
      .Bind("SetVideoAnalyticsConfiguration",
            NoSuchConfigurationToSet<trt::SetVideoAnalyticsConfiguration,
                                     trt::SetVideoAnalyticsConfigurationResponse>)
      .Bind("SetAudioOutputConfiguration",
            NoSuchConfigurationToSet<trt::SetAudioOutputConfiguration,
                                     trt::SetAudioOutputConfigurationResponse>)
      .Bind("SetAudioDecoderConfiguration",
            NoSuchConfigurationToSet<trt::SetAudioDecoderConfiguration,
                                     trt::SetAudioDecoderConfigurationResponse>)
      // Audio inputs and their encodings (ter:AudioNotSupported without).
      .Bind("GetAudioSources", GetAudioSources)
      .Bind("GetAudioSourceConfigurations", GetAudioSourceConfigurations)
      .Bind("GetAudioSourceConfiguration", GetAudioSourceConfiguration)
      .Bind("GetCompatibleAudioSourceConfigurations", GetCompatibleAudioSourceConfigurations)
      .Bind("GetAudioSourceConfigurationOptions", GetAudioSourceConfigurationOptions)
      .Bind("SetAudioSourceConfiguration", SetAudioSourceConfigurationOp)
      .Bind("GetAudioEncoderConfigurations", GetAudioEncoderConfigurations)
      .Bind("GetAudioEncoderConfiguration", GetAudioEncoderConfiguration)
      .Bind("GetCompatibleAudioEncoderConfigurations", GetCompatibleAudioEncoderConfigurations)
      .Bind("GetAudioEncoderConfigurationOptions", GetAudioEncoderConfigurationOptions)
      .Bind("SetAudioEncoderConfiguration", SetAudioEncoderConfigurationOp)
      .Bind("AddAudioSourceConfiguration",
            AddAudio<K::kAudioSource, trt::AddAudioSourceConfiguration,
                     trt::AddAudioSourceConfigurationResponse>)
      .Bind("RemoveAudioSourceConfiguration",
            RemoveAudio<K::kAudioSource, trt::RemoveAudioSourceConfiguration,
                        trt::RemoveAudioSourceConfigurationResponse>)
      .Bind("AddAudioEncoderConfiguration",
            AddAudio<K::kAudioEncoder, trt::AddAudioEncoderConfiguration,
                     trt::AddAudioEncoderConfigurationResponse>)
      .Bind("RemoveAudioEncoderConfiguration",
            RemoveAudio<K::kAudioEncoder, trt::RemoveAudioEncoderConfiguration,
                        trt::RemoveAudioEncoderConfigurationResponse>);
  // Not offered, and the capabilities above say so: multicast (RTPMulticast
  // false), forcing an I-frame (the adapter API has no such call), changing
  // video source modes (VideoSourceMode false), audio output/decoder options.
  b.Unsupported({
      "StartMulticastStreaming",
      "StopMulticastStreaming",
      "SetSynchronizationPoint",
      "SetVideoSourceMode",
      "GetAudioOutputConfigurationOptions",
      "GetAudioDecoderConfigurationOptions",
  });
}

}  // namespace onvifgw::services::media

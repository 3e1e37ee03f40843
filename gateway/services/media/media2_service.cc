// The Media2 service (ver20, media.wsdl): the same profiles and
// configurations as Media ver10 (one store, one catalog), in Media2's shapes;
// H.265 encoders appear here only, since ver10 cannot describe them.
#include "onvif/generated/tr2.pb.h"
#include "services/media/media_operations.h"
#include "services/media/media_service.h"
#include "services/service_registry.h"
#include "soap/codec.h"

namespace onvifgw::services::media {
namespace {

using soap::Fault;

constexpr const char* kConfigurationsSupported[] = {"VideoSource", "VideoEncoder", "Metadata"};
constexpr const char* kAudioConfigurationsSupported[] = {"AudioSource", "AudioEncoder"};

// Configuration kinds the device has none of (audio, analytics, PTZ...).
template <typename Req, typename Resp>
Expected<Resp, Fault> EmptyList(const RequestContext& ctx, const Req& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (req.has_configurationtoken()) return MakeUnexpected(NoConfig(req.configurationtoken()));
  if (req.has_profiletoken() && v->Profile(req.profiletoken()) == nullptr) {
    return MakeUnexpected(NoProfile(req.profiletoken()));
  }
  return Resp{};
}

template <typename Req>
Expected<tr2::SetConfigurationResponse, Fault> NoSuchConfigurationToSet(const RequestContext& ctx,
                                                                        const Req& req) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(NoConfig(req.configuration().token()));
}

tr2::Capabilities2 ServiceCapabilities(const RequestContext& ctx) {
  tr2::Capabilities2 c;
  auto* p = c.mutable_profilecapabilities();
  p->set_maximumnumberofprofiles(MediaProfileStore::kMaxProfiles);
  for (const char* kind : kConfigurationsSupported) p->add_configurationssupported(kind);
  const MediaCatalog catalog = MediaCatalog::Build(ctx.device.adapter, CamerasOf(ctx));
  if (catalog.has_audio()) {
    for (const char* kind : kAudioConfigurationsSupported) p->add_configurationssupported(kind);
  }
  if (!catalog.ptz_nodes().empty() && ctx.device.ptz_moves != nullptr) {
    p->add_configurationssupported("PTZ");
  }
  auto* s = c.mutable_streamingcapabilities();
  s->set_rtspstreaming(true);
  s->set_rtpmulticast(false);
  s->set_rtp_rtsp_tcp(true);
  s->set_nonaggregatecontrol(false);
  s->set_autostartmulticast(false);
  c.set_snapshoturi(SnapshotsOffered(ctx));
  c.set_rotation(false);
  c.set_videosourcemode(false);
  c.set_osd(false);
  c.set_temporaryosdtext(false);
  c.set_mask(false);
  c.set_sourcemask(false);
  return c;
}

Expected<tr2::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext& ctx, const tr2::GetServiceCapabilities&) {
  tr2::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities(ctx);
  return r;
}

std::vector<ConfigurationRef> RefsOf(
    const google::protobuf::RepeatedPtrField<tr2::ConfigurationRef>& refs) {
  std::vector<ConfigurationRef> out;
  for (const auto& r : refs) out.push_back({KindOf(r.type()), r.token()});
  return out;
}

// ------------------------------------------------------------------ profiles

Expected<tr2::GetProfilesResponse, Fault> GetProfiles(const RequestContext& ctx,
                                                      const tr2::GetProfiles& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  // No Type: names and tokens only; "All" or any kind: the configurations.
  const bool with_configurations = req.type_size() > 0;
  tr2::GetProfilesResponse r;
  if (req.has_token()) {
    const StoredProfile* p = v->Profile(req.token());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.token()));
    *r.add_profiles() = MediaProfileOf(*p, v->catalog, v->state, with_configurations);
    return r;
  }
  for (const auto& p : v->state.profiles()) {
    *r.add_profiles() = MediaProfileOf(p, v->catalog, v->state, with_configurations);
  }
  return r;
}

Expected<tr2::CreateProfileResponse, Fault> CreateProfileOp(const RequestContext& ctx,
                                                            const tr2::CreateProfile& req) {
  auto token = CreateProfile(ctx, req.name(), "", RefsOf(req.configuration()));
  if (!token) return MakeUnexpected(token.error());
  tr2::CreateProfileResponse r;
  r.set_token(*token);
  return r;
}

Expected<tr2::DeleteProfileResponse, Fault> DeleteProfileOp(const RequestContext& ctx,
                                                            const tr2::DeleteProfile& req) {
  if (auto st = DeleteProfile(ctx, req.token()); !st) return MakeUnexpected(st.error());
  return tr2::DeleteProfileResponse{};
}

Expected<tr2::AddConfigurationResponse, Fault> AddConfigurationOp(
    const RequestContext& ctx, const tr2::AddConfiguration& req) {
  if (auto st = AddConfigurations(ctx, req.profiletoken(), RefsOf(req.configuration()), req.name());
      !st) {
    return MakeUnexpected(st.error());
  }
  return tr2::AddConfigurationResponse{};
}

Expected<tr2::RemoveConfigurationResponse, Fault> RemoveConfigurationOp(
    const RequestContext& ctx, const tr2::RemoveConfiguration& req) {
  std::vector<ConfigurationKind> kinds;
  for (const auto& r : req.configuration()) kinds.push_back(KindOf(r.type()));
  if (auto st = RemoveConfigurations(ctx, req.profiletoken(), kinds); !st) {
    return MakeUnexpected(st.error());
  }
  return tr2::RemoveConfigurationResponse{};
}

// ------------------------------------------------------------ configurations

// The video sources a Get*Configurations request names: one by token, those
// compatible with a profile, or all.
Expected<std::vector<const VideoSourceEntry*>, Fault> SelectSources(
    const MediaView& v, const tr2::GetConfiguration& req) {
  std::vector<const VideoSourceEntry*> out;
  if (req.has_configurationtoken()) {
    const VideoSourceEntry* s = v.catalog.SourceConfiguration(req.configurationtoken());
    if (s == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
    out.push_back(s);
    return out;
  }
  const VideoEncoderEntry* enc = nullptr;
  if (req.has_profiletoken()) {
    const StoredProfile* p = v.Profile(req.profiletoken());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
    enc = v.catalog.Encoder(p->video_encoder());
  }
  for (const auto& s : v.catalog.sources()) {
    if (enc == nullptr || enc->source_token == s.token) out.push_back(&s);
  }
  return out;
}

Expected<std::vector<const VideoEncoderEntry*>, Fault> SelectEncoders(
    const MediaView& v, const tr2::GetConfiguration& req) {
  if (req.has_configurationtoken()) {
    const VideoEncoderEntry* e = v.catalog.Encoder(req.configurationtoken());
    if (e == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
    return std::vector<const VideoEncoderEntry*>{e};
  }
  const StoredProfile* p = nullptr;
  if (req.has_profiletoken()) {
    p = v.Profile(req.profiletoken());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
  }
  return CompatibleEncoders(v, p);
}

Expected<tr2::GetVideoSourceConfigurationsResponse, Fault> GetVideoSourceConfigurations(
    const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  auto sources = SelectSources(*v, req);
  if (!sources) return MakeUnexpected(sources.error());
  tr2::GetVideoSourceConfigurationsResponse r;
  for (const auto* s : *sources) *r.add_configurations() = VideoSourceConfigurationOf(*s, v->state);
  return r;
}

Expected<tr2::GetVideoSourceConfigurationOptionsResponse, Fault> GetVideoSourceConfigurationOptions(
    const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  auto sources = SelectSources(*v, req);
  if (!sources) return MakeUnexpected(sources.error());
  if (sources->empty()) {
    return MakeUnexpected(soap::ActionFailed("The camera has not been reached yet"));
  }
  tr2::GetVideoSourceConfigurationOptionsResponse r;
  *r.mutable_options() = VideoSourceConfigurationOptionsOf(*sources->front());
  return r;
}

Expected<tr2::GetVideoEncoderConfigurationsResponse, Fault> GetVideoEncoderConfigurations(
    const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  auto encoders = SelectEncoders(*v, req);
  if (!encoders) return MakeUnexpected(encoders.error());
  tr2::GetVideoEncoderConfigurationsResponse r;
  for (const auto* e : *encoders) {
    *r.add_configurations() = VideoEncoder2ConfigurationOf(*e, v->state);
  }
  return r;
}

Expected<tr2::GetVideoEncoderConfigurationOptionsResponse, Fault>
GetVideoEncoderConfigurationOptions(const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  auto encoders = SelectEncoders(*v, req);
  if (!encoders) return MakeUnexpected(encoders.error());
  auto options = VideoEncoder2ConfigurationOptionsOf(*encoders);
  if (options.empty()) {
    return MakeUnexpected(soap::ActionFailed("The camera has not been reached yet"));
  }
  tr2::GetVideoEncoderConfigurationOptionsResponse r;
  for (auto& o : options) *r.add_options() = std::move(o);
  return r;
}

Expected<tr2::GetMetadataConfigurationsResponse, Fault> GetMetadataConfigurations(
    const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (req.has_configurationtoken() && req.configurationtoken() != kMetadataToken) {
    return MakeUnexpected(NoConfig(req.configurationtoken()));
  }
  if (req.has_profiletoken() && v->Profile(req.profiletoken()) == nullptr) {
    return MakeUnexpected(NoProfile(req.profiletoken()));
  }
  tr2::GetMetadataConfigurationsResponse r;
  *r.add_configurations() = MetadataConfigurationOf(v->state);
  return r;
}

Expected<tr2::GetMetadataConfigurationOptionsResponse, Fault> GetMetadataConfigurationOptions(
    const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (req.has_configurationtoken() && req.configurationtoken() != kMetadataToken) {
    return MakeUnexpected(NoConfig(req.configurationtoken()));
  }
  if (req.has_profiletoken() && v->Profile(req.profiletoken()) == nullptr) {
    return MakeUnexpected(NoProfile(req.profiletoken()));
  }
  tr2::GetMetadataConfigurationOptionsResponse r;
  *r.mutable_options() = MetadataConfigurationOptionsOf();
  return r;
}

Expected<tr2::SetConfigurationResponse, Fault> SetVideoSourceConfigurationOp(
    const RequestContext& ctx, const tr2::SetVideoSourceConfiguration& req) {
  if (auto st = SetVideoSourceConfiguration(ctx, req.configuration()); !st) {
    return MakeUnexpected(st.error());
  }
  return tr2::SetConfigurationResponse{};
}

Expected<tr2::SetConfigurationResponse, Fault> SetMetadataConfigurationOp(
    const RequestContext& ctx, const tr2::SetMetadataConfiguration& req) {
  if (auto st = SetMetadataConfiguration(ctx, req.configuration()); !st) {
    return MakeUnexpected(st.error());
  }
  return tr2::SetConfigurationResponse{};
}

void SetVideoEncoderConfigurationOp(const RequestContext& ctx,
                                    const tr2::SetVideoEncoderConfiguration& req, Completion done) {
  const tt::VideoEncoder2Configuration& c = req.configuration();
  auto v = ViewOf(ctx);
  if (!v) return done(MakeUnexpected(v.error()));
  const VideoEncoderEntry* current = v->catalog.Encoder(c.token());
  if (current == nullptr) return done(MakeUnexpected(NoConfig(c.token())));
  const auto codec = CodecFromMimeName(c.encoding());
  if (!codec) {
    return done(MakeUnexpected(ConfigModify("Encoding " + c.encoding() + " is not offered")));
  }
  // What the request leaves out stays as it is.
  const v1::VideoStream& s = current->stream;
  EncoderChange change;
  change.token = c.token();
  change.name = c.name();
  change.codec = *codec;
  change.width = static_cast<uint32_t>(std::max(0, c.resolution().width()));
  change.height = static_cast<uint32_t>(std::max(0, c.resolution().height()));
  change.quality = c.quality();
  change.framerate = c.has_ratecontrol() ? c.ratecontrol().frameratelimit() : s.framerate();
  change.bitrate_kbps = c.has_ratecontrol()
                            ? static_cast<uint32_t>(std::max(0, c.ratecontrol().bitratelimit()))
                            : s.bitrate_kbps();
  change.gop_length =
      c.has_govlength() ? static_cast<uint32_t>(std::max(0, c.govlength())) : s.gop_length();
  change.codec_profile = c.profile();
  if (c.has_multicast()) change.multicast = c.multicast();
  SetVideoEncoder(ctx, std::move(change), [done = std::move(done)](Status<Fault> st) {
    if (!st) return done(MakeUnexpected(st.error()));
    done(Ok(tr2::SetConfigurationResponse{}));
  });
}

Expected<tr2::GetVideoEncoderInstancesResponse, Fault> GetVideoEncoderInstances(
    const RequestContext& ctx, const tr2::GetVideoEncoderInstances& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  const VideoSourceEntry* s = v->catalog.SourceConfiguration(req.configurationtoken());
  if (s == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
  // Each stream is an encoder of its own: all of a source's run at once.
  std::vector<std::pair<std::string, int>> per_codec;
  int total = 0;
  for (const auto& e : v->catalog.encoders()) {
    if (e.source_token != s->token) continue;
    ++total;
    const v1::EncoderOptions options = EffectiveOptions(e);
    for (const auto& o : options.codecs()) {
      const std::string name = MimeName(o.codec());
      auto it = std::find_if(per_codec.begin(), per_codec.end(),
                             [&](const auto& p) { return p.first == name; });
      if (it == per_codec.end()) {
        per_codec.emplace_back(name, 1);
      } else {
        ++it->second;
      }
    }
  }
  tr2::GetVideoEncoderInstancesResponse r;
  auto* info = r.mutable_info();
  for (const auto& [name, n] : per_codec) {
    auto* c = info->add_codec();
    c->set_encoding(name);
    c->set_number(n);
  }
  info->set_total(total);
  return r;
}

Expected<tr2::GetVideoSourceModesResponse, Fault> GetVideoSourceModes(
    const RequestContext& ctx, const tr2::GetVideoSourceModes& req) {
  return VideoSourceModes<tr2::GetVideoSourceModesResponse>(ctx, req.videosourcetoken());
}

// --------------------------------------------------------------------- audio

Expected<std::vector<const AudioSourceEntry*>, Fault> SelectAudioSources(
    const MediaView& v, const tr2::GetConfiguration& req) {
  if (req.has_configurationtoken()) {
    const AudioSourceEntry* a = v.catalog.AudioSourceConfiguration(req.configurationtoken());
    if (a == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
    return std::vector<const AudioSourceEntry*>{a};
  }
  const StoredProfile* p = nullptr;
  if (req.has_profiletoken()) {
    p = v.Profile(req.profiletoken());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
  }
  return CompatibleAudioSources(v, p);
}

Expected<std::vector<const AudioEncoderEntry*>, Fault> SelectAudioEncoders(
    const MediaView& v, const tr2::GetConfiguration& req) {
  if (req.has_configurationtoken()) {
    const AudioEncoderEntry* a = v.catalog.AudioEncoder(req.configurationtoken());
    if (a == nullptr) return MakeUnexpected(NoConfig(req.configurationtoken()));
    return std::vector<const AudioEncoderEntry*>{a};
  }
  const StoredProfile* p = nullptr;
  if (req.has_profiletoken()) {
    p = v.Profile(req.profiletoken());
    if (p == nullptr) return MakeUnexpected(NoProfile(req.profiletoken()));
  }
  return CompatibleAudioEncoders(v, p);
}

Expected<tr2::GetAudioSourceConfigurationsResponse, Fault> GetAudioSourceConfigurations(
    const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  auto inputs = SelectAudioSources(*v, req);
  if (!inputs) return MakeUnexpected(inputs.error());
  tr2::GetAudioSourceConfigurationsResponse r;
  for (const auto* a : *inputs) *r.add_configurations() = AudioSourceConfigurationOf(*a, v->state);
  return r;
}

Expected<tr2::GetAudioSourceConfigurationOptionsResponse, Fault> GetAudioSourceConfigurationOptions(
    const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (!v->catalog.has_audio()) return MakeUnexpected(AudioNotSupported());
  auto inputs = SelectAudioSources(*v, req);
  if (!inputs) return MakeUnexpected(inputs.error());
  tr2::GetAudioSourceConfigurationOptionsResponse r;
  *r.mutable_options() = AudioSourceConfigurationOptionsOf(*inputs);
  return r;
}

Expected<tr2::GetAudioEncoderConfigurationsResponse, Fault> GetAudioEncoderConfigurations(
    const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  auto encoders = SelectAudioEncoders(*v, req);
  if (!encoders) return MakeUnexpected(encoders.error());
  tr2::GetAudioEncoderConfigurationsResponse r;
  for (const auto* a : *encoders) {
    *r.add_configurations() = AudioEncoder2ConfigurationOf(*a, v->state);
  }
  return r;
}

Expected<tr2::GetAudioEncoderConfigurationOptionsResponse, Fault>
GetAudioEncoderConfigurationOptions(const RequestContext& ctx, const tr2::GetConfiguration& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (!v->catalog.has_audio()) return MakeUnexpected(AudioNotSupported());
  auto encoders = SelectAudioEncoders(*v, req);
  if (!encoders) return MakeUnexpected(encoders.error());
  tr2::GetAudioEncoderConfigurationOptionsResponse r;
  for (auto& o : AudioEncoder2ConfigurationOptionsOf(*encoders)) *r.add_options() = std::move(o);
  return r;
}

Expected<tr2::SetConfigurationResponse, Fault> SetAudioSourceConfigurationOp(
    const RequestContext& ctx, const tr2::SetAudioSourceConfiguration& req) {
  if (auto st = SetAudioSourceConfiguration(ctx, req.configuration()); !st) {
    return MakeUnexpected(st.error());
  }
  return tr2::SetConfigurationResponse{};
}

Expected<tr2::SetConfigurationResponse, Fault> SetAudioEncoderConfigurationOp(
    const RequestContext& ctx, const tr2::SetAudioEncoderConfiguration& req) {
  const tt::AudioEncoder2Configuration& c = req.configuration();
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (v->catalog.AudioEncoder(c.token()) == nullptr) return MakeUnexpected(NoConfig(c.token()));
  const auto codec = AudioCodecFromMimeName(c.encoding());
  if (!codec) {
    return MakeUnexpected(ConfigModify("Encoding " + c.encoding() + " is not offered"));
  }
  AudioEncoderChange change;
  change.token = c.token();
  change.name = c.name();
  change.codec = *codec;
  change.bitrate_kbps = static_cast<uint32_t>(std::max(0, c.bitrate()));
  change.sample_rate_khz = static_cast<uint32_t>(std::max(0, c.samplerate()));
  if (c.has_multicast()) change.multicast = c.multicast();
  if (auto st = SetAudioEncoder(ctx, change); !st) return MakeUnexpected(st.error());
  return tr2::SetConfigurationResponse{};
}

// ----------------------------------------------------------------- URIs

Expected<tr2::GetStreamUriResponse, Fault> GetStreamUri(const RequestContext& ctx,
                                                        const tr2::GetStreamUri& req) {
  // tr2:TransportProtocol values (Media2 §5.9.1).
  std::optional<StreamTransport> transport;
  const std::string& p = req.protocol();
  if (p == "RtspUnicast") transport = StreamTransport::kRtspUdp;
  if (p == "RTSP") transport = StreamTransport::kRtspTcp;
  if (p == "RtspOverHttp") transport = StreamTransport::kRtspOverHttp;
  if (p == "RtspMulticast") transport = StreamTransport::kMulticast;
  if (!transport) {
    return MakeUnexpected(
        soap::InvalidArgVal("Protocol " + p + " is not offered", "InvalidStreamSetup"));
  }
  auto uri = StreamUri(ctx, req.profiletoken(), *transport);
  if (!uri) return MakeUnexpected(uri.error());
  tr2::GetStreamUriResponse r;
  r.set_uri(*uri);
  return r;
}

Expected<tr2::GetSnapshotUriResponse, Fault> GetSnapshotUri(const RequestContext& ctx,
                                                            const tr2::GetSnapshotUri& req) {
  auto uri = SnapshotUri(ctx, req.profiletoken());
  if (!uri) return MakeUnexpected(uri.error());
  tr2::GetSnapshotUriResponse r;
  r.set_uri(*uri);
  return r;
}

// ---------------------------------------------------------------------- OSD

Expected<tr2::GetOSDsResponse, Fault> GetOSDs(const RequestContext& ctx, const tr2::GetOSDs& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (req.has_osdtoken()) return MakeUnexpected(NoConfig(req.osdtoken()));
  if (req.has_configurationtoken() &&
      v->catalog.SourceConfiguration(req.configurationtoken()) == nullptr) {
    return MakeUnexpected(NoConfig(req.configurationtoken()));
  }
  return tr2::GetOSDsResponse{};
}

Expected<tr2::GetOSDOptionsResponse, Fault> GetOSDOptions(const RequestContext& ctx,
                                                          const tr2::GetOSDOptions& req) {
  auto v = ViewOf(ctx);
  if (!v) return MakeUnexpected(v.error());
  if (v->catalog.SourceConfiguration(req.configurationtoken()) == nullptr) {
    return MakeUnexpected(NoConfig(req.configurationtoken()));
  }
  tr2::GetOSDOptionsResponse r;
  auto* o = r.mutable_osdoptions();
  o->mutable_maximumnumberofosds()->set_total(0);
  o->add_type(tt::OSDType_Text);
  o->add_positionoption("UpperLeft");
  return r;
}

Expected<tr2::SetConfigurationResponse, Fault> SetOSD(const RequestContext& ctx,
                                                      const tr2::SetOSD& req) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(NoConfig(req.osd().token()));
}

Expected<tr2::CreateOSDResponse, Fault> CreateOSD(const RequestContext& ctx,
                                                  const tr2::CreateOSD&) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(soap::ActionFailed("The device draws no OSDs", "MaxOSDs"));
}

Expected<tr2::SetConfigurationResponse, Fault> DeleteOSD(const RequestContext& ctx,
                                                         const tr2::DeleteOSD& req) {
  if (auto v = ViewOf(ctx); !v) return MakeUnexpected(v.error());
  return MakeUnexpected(NoConfig(req.osdtoken()));
}

std::string CapabilitiesFragment(const RequestContext& ctx) {
  return soap::EncodeFragment(ServiceCapabilities(ctx), "tr2", "Capabilities");
}

}  // namespace

void ServeMedia2(ServiceRegistry& registry) {
  ServiceDescription d;
  d.path = std::string(kMedia2Path);
  d.available = MediaAvailable;
  d.capabilities = CapabilitiesFragment;
  // Not in GetCapabilities: clients find Media2 through GetServices.
  ServiceBinder b = registry.Serve("tr2", std::move(d));
  b.Bind("GetServiceCapabilities", GetServiceCapabilities)
      .Bind("GetProfiles", GetProfiles)
      .Bind("CreateProfile", CreateProfileOp)
      .Bind("DeleteProfile", DeleteProfileOp)
      .Bind("AddConfiguration", AddConfigurationOp)
      .Bind("RemoveConfiguration", RemoveConfigurationOp)
      .Bind("GetVideoSourceConfigurations", GetVideoSourceConfigurations)
      .Bind("GetVideoSourceConfigurationOptions", GetVideoSourceConfigurationOptions)
      .Bind("SetVideoSourceConfiguration", SetVideoSourceConfigurationOp)
      .Bind("GetVideoEncoderConfigurations", GetVideoEncoderConfigurations)
      .Bind("GetVideoEncoderConfigurationOptions", GetVideoEncoderConfigurationOptions)
      .Bind("SetVideoEncoderConfiguration", SetVideoEncoderConfigurationOp)
      .Bind("GetVideoEncoderInstances", GetVideoEncoderInstances)
      .Bind("GetMetadataConfigurations", GetMetadataConfigurations)
      .Bind("GetMetadataConfigurationOptions", GetMetadataConfigurationOptions)
      .Bind("SetMetadataConfiguration", SetMetadataConfigurationOp)
      .Bind("GetVideoSourceModes", GetVideoSourceModes)
      .Bind("GetStreamUri", GetStreamUri)
      .Bind("GetSnapshotUri", GetSnapshotUri)
      .Bind("GetOSDs", GetOSDs)
      .Bind("GetOSDOptions", GetOSDOptions)
      .Bind("SetOSD", SetOSD)
      .Bind("CreateOSD", CreateOSD)
      .Bind("DeleteOSD", DeleteOSD)
      // Audio inputs and their encodings: empty lists without.
      .Bind("GetAudioSourceConfigurations", GetAudioSourceConfigurations)
      .Bind("GetAudioSourceConfigurationOptions", GetAudioSourceConfigurationOptions)
      .Bind("SetAudioSourceConfiguration", SetAudioSourceConfigurationOp)
      .Bind("GetAudioEncoderConfigurations", GetAudioEncoderConfigurations)
      .Bind("GetAudioEncoderConfigurationOptions", GetAudioEncoderConfigurationOptions)
      .Bind("SetAudioEncoderConfiguration", SetAudioEncoderConfigurationOp)
      // Kinds the device has none of: empty lists, unknown tokens.
      .Bind("GetAnalyticsConfigurations",
            EmptyList<tr2::GetConfiguration, tr2::GetAnalyticsConfigurationsResponse>)
      .Bind("GetAudioOutputConfigurations",
            EmptyList<tr2::GetConfiguration, tr2::GetAudioOutputConfigurationsResponse>)
      .Bind("GetAudioDecoderConfigurations",
            EmptyList<tr2::GetConfiguration, tr2::GetAudioDecoderConfigurationsResponse>)
      .Bind("SetAudioOutputConfiguration",
            NoSuchConfigurationToSet<tr2::SetAudioOutputConfiguration>)
      .Bind("SetAudioDecoderConfiguration",
            NoSuchConfigurationToSet<tr2::SetAudioDecoderConfiguration>);
  // Not offered, and the capabilities say so: audio output and decoder
  // options (no audio outputs), multicast, forcing an I-frame, source modes, masks, WebRTC, audio
  // clips, multicast audio decoding, equalizer presets.
  b.Unsupported({
      "GetAudioOutputConfigurationOptions",
      "GetAudioDecoderConfigurationOptions",
      "StartMulticastStreaming",
      "StopMulticastStreaming",
      "SetSynchronizationPoint",
      "SetVideoSourceMode",
      "GetMasks",
      "GetMaskOptions",
      "SetMask",
      "CreateMask",
      "DeleteMask",
      "GetWebRTCConfigurations",
      "SetWebRTCConfigurations",
      "GetAudioClips",
      "AddAudioClip",
      "AddTTSAudioClip",
      "SetAudioClip",
      "DeleteAudioClip",
      "PlayAudioClip",
      "GetPlayingAudioClips",
      "GetMulticastAudioDecoderConfigurations",
      "GetMulticastAudioDecoderConfigurationOptions",
      "SetMulticastAudioDecoderConfiguration",
      "SetEQPreset",
  });
}

}  // namespace onvifgw::services::media

#include "services/media/media_configurations.h"

#include <algorithm>
#include <cmath>

#include "services/ptz/ptz_configuration.h"

namespace onvifgw::services::media {
namespace {

// Frame rates offered to Media2 clients, which take a list rather than a
// range: the common ones inside the encoder's range, and its maximum.
constexpr float kCommonFrameRates[] = {1, 2, 5, 6.25f, 10, 12.5f, 15, 20, 25, 30, 50, 60};

int Round(float v) { return static_cast<int>(std::lround(v)); }

const StoredConfiguration* Stored(const MediaState& state, const std::string& token) {
  auto it = state.configurations().find(token);
  return it == state.configurations().end() ? nullptr : &it->second;
}

std::string NameOr(const MediaState& state, const std::string& token, const std::string& fallback) {
  const StoredConfiguration* c = Stored(state, token);
  return c != nullptr && !c->name().empty() ? c->name() : fallback;
}

std::string SessionTimeout(const MediaState& state, const std::string& token) {
  const StoredConfiguration* c = Stored(state, token);
  return c != nullptr && !c->session_timeout().empty() ? c->session_timeout()
                                                       : kDefaultSessionTimeout;
}

void AddUnique(std::vector<std::pair<uint32_t, uint32_t>>& out, const v1::Resolution& r) {
  const auto wh = std::make_pair(r.width(), r.height());
  if (std::find(out.begin(), out.end(), wh) == out.end()) out.push_back(wh);
}

// One codec's options over several encoders: ranges widened, lists joined.
struct MergedCodec {
  bool present = false;
  std::vector<std::pair<uint32_t, uint32_t>> resolutions;
  float fps_min = 0, fps_max = 0, q_min = 0, q_max = 0;
  uint32_t br_min = 0, br_max = 0, gov_min = 0, gov_max = 0;
  std::vector<std::string> profiles;

  void Add(const v1::CodecOptions& o) {
    if (!present) {
      fps_min = o.framerate().min();
      fps_max = o.framerate().max();
      q_min = o.quality().min();
      q_max = o.quality().max();
      br_min = o.bitrate_kbps().min();
      br_max = o.bitrate_kbps().max();
      gov_min = o.gop_length().min();
      gov_max = o.gop_length().max();
    } else {
      fps_min = std::min(fps_min, o.framerate().min());
      fps_max = std::max(fps_max, o.framerate().max());
      q_min = std::min(q_min, o.quality().min());
      q_max = std::max(q_max, o.quality().max());
      br_min = std::min(br_min, o.bitrate_kbps().min());
      br_max = std::max(br_max, o.bitrate_kbps().max());
      gov_min = std::min(gov_min, o.gop_length().min());
      gov_max = std::max(gov_max, o.gop_length().max());
    }
    present = true;
    for (const auto& r : o.resolutions()) AddUnique(resolutions, r);
    for (const auto& p : o.codec_profiles()) {
      if (std::find(profiles.begin(), profiles.end(), p) == profiles.end()) profiles.push_back(p);
    }
  }
};

MergedCodec Merge(const std::vector<const VideoEncoderEntry*>& encoders, v1::VideoCodec codec) {
  MergedCodec m;
  for (const VideoEncoderEntry* e : encoders) {
    const v1::EncoderOptions options = EffectiveOptions(*e);
    if (const v1::CodecOptions* o = CodecOptionsFor(options, codec)) m.Add(*o);
  }
  return m;
}

void SetIntRange(tt::IntRange* r, int min, int max) {
  r->set_min(min);
  r->set_max(max);
}

template <typename Resolution>
void AddResolutions(const MergedCodec& m, google::protobuf::RepeatedPtrField<Resolution>* out) {
  for (const auto& [w, h] : m.resolutions) {
    Resolution* r = out->Add();
    r->set_width(static_cast<int>(w));
    r->set_height(static_cast<int>(h));
  }
}

std::optional<tt::H264Profile> H264ProfileOf(std::string_view name) {
  if (name == "Baseline") return tt::H264Profile_Baseline;
  if (name == "Main") return tt::H264Profile_Main;
  if (name == "Extended") return tt::H264Profile_Extended;
  if (name == "High") return tt::H264Profile_High;
  return std::nullopt;
}

std::optional<tt::Mpeg4Profile> Mpeg4ProfileOf(std::string_view name) {
  if (name == "SP") return tt::Mpeg4Profile_SP;
  if (name == "ASP") return tt::Mpeg4Profile_ASP;
  return std::nullopt;
}

}  // namespace

v1::EncoderOptions EffectiveOptions(const VideoEncoderEntry& encoder) {
  if (encoder.configurable) return encoder.stream.options();
  const v1::VideoStream& s = encoder.stream;
  v1::EncoderOptions fixed;
  v1::CodecOptions* o = fixed.add_codecs();
  o->set_codec(s.codec());
  *o->add_resolutions() = s.resolution();
  o->mutable_framerate()->set_min(s.framerate());
  o->mutable_framerate()->set_max(s.framerate());
  o->mutable_bitrate_kbps()->set_min(s.bitrate_kbps());
  o->mutable_bitrate_kbps()->set_max(s.bitrate_kbps());
  o->mutable_gop_length()->set_min(s.gop_length());
  o->mutable_gop_length()->set_max(s.gop_length());
  if (!s.codec_profile().empty()) o->add_codec_profiles(s.codec_profile());
  o->mutable_quality()->set_min(s.quality());
  o->mutable_quality()->set_max(s.quality());
  return fixed;
}

const v1::CodecOptions* CodecOptionsFor(const v1::EncoderOptions& options, v1::VideoCodec codec) {
  for (const auto& c : options.codecs()) {
    if (c.codec() == codec) return &c;
  }
  return nullptr;
}

std::string MimeName(v1::VideoCodec codec) {
  switch (codec) {
    case v1::VIDEO_CODEC_JPEG:
      return "JPEG";
    case v1::VIDEO_CODEC_MPEG4:
      return "MPV4-ES";
    case v1::VIDEO_CODEC_H264:
      return "H264";
    case v1::VIDEO_CODEC_H265:
      return "H265";
    default:
      return "";
  }
}

std::optional<v1::VideoCodec> CodecFromMimeName(std::string_view name) {
  for (v1::VideoCodec c :
       {v1::VIDEO_CODEC_JPEG, v1::VIDEO_CODEC_MPEG4, v1::VIDEO_CODEC_H264, v1::VIDEO_CODEC_H265}) {
    if (MimeName(c) == name) return c;
  }
  return std::nullopt;
}

std::optional<tt::VideoEncoding> Ver10Encoding(v1::VideoCodec codec) {
  switch (codec) {
    case v1::VIDEO_CODEC_JPEG:
      return tt::VideoEncoding_JPEG;
    case v1::VIDEO_CODEC_MPEG4:
      return tt::VideoEncoding_MPEG4;
    case v1::VIDEO_CODEC_H264:
      return tt::VideoEncoding_H264;
    default:
      return std::nullopt;
  }
}

v1::VideoCodec CodecFromVer10(tt::VideoEncoding encoding) {
  switch (encoding) {
    case tt::VideoEncoding_JPEG:
      return v1::VIDEO_CODEC_JPEG;
    case tt::VideoEncoding_MPEG4:
      return v1::VIDEO_CODEC_MPEG4;
    default:
      return v1::VIDEO_CODEC_H264;
  }
}

tt::VideoSource VideoSourceOf(const VideoSourceEntry& source) {
  tt::VideoSource v;
  v.set_token(source.token);
  v.set_framerate(source.source.framerate());
  v.mutable_resolution()->set_width(static_cast<int>(source.source.resolution().width()));
  v.mutable_resolution()->set_height(static_cast<int>(source.source.resolution().height()));
  return v;
}

tt::VideoSourceConfiguration VideoSourceConfigurationOf(const VideoSourceEntry& source,
                                                        const MediaState& state) {
  tt::VideoSourceConfiguration c;
  c.set_name(NameOr(state, source.configuration_token, source.label));
  c.set_usecount(UseCount(state, source.configuration_token));
  c.set_token(source.configuration_token);
  c.set_sourcetoken(source.token);
  auto* b = c.mutable_bounds();
  b->set_x(0);
  b->set_y(0);
  b->set_width(static_cast<int>(source.source.resolution().width()));
  b->set_height(static_cast<int>(source.source.resolution().height()));
  return c;
}

tt::VideoSourceConfigurationOptions VideoSourceConfigurationOptionsOf(
    const VideoSourceEntry& source) {
  // The gateway does not crop: the bounds are the whole picture.
  tt::VideoSourceConfigurationOptions o;
  const int w = static_cast<int>(source.source.resolution().width());
  const int h = static_cast<int>(source.source.resolution().height());
  auto* r = o.mutable_boundsrange();
  SetIntRange(r->mutable_xrange(), 0, 0);
  SetIntRange(r->mutable_yrange(), 0, 0);
  SetIntRange(r->mutable_widthrange(), w, w);
  SetIntRange(r->mutable_heightrange(), h, h);
  o.add_videosourcetokensavailable(source.token);
  o.set_maximumnumberofprofiles(MediaProfileStore::kMaxProfiles);
  return o;
}

tt::MulticastConfiguration MulticastOf(const MediaState& state, const std::string& token) {
  tt::MulticastConfiguration m;
  const StoredConfiguration* c = Stored(state, token);
  const bool set = c != nullptr && c->has_multicast();
  const std::string address = set ? c->multicast().address() : "0.0.0.0";
  if (address.find(':') != std::string::npos) {
    m.mutable_address()->set_type(tt::IPType_IPv6);
    m.mutable_address()->set_ipv6address(address);
  } else {
    m.mutable_address()->set_type(tt::IPType_IPv4);
    m.mutable_address()->set_ipv4address(address);
  }
  m.set_port(set ? static_cast<int>(c->multicast().port()) : 0);
  m.set_ttl(set ? static_cast<int>(c->multicast().ttl()) : 1);
  m.set_autostart(set && c->multicast().auto_start());
  return m;
}

std::optional<tt::VideoEncoderConfiguration> VideoEncoderConfigurationOf(
    const VideoEncoderEntry& encoder, const MediaState& state) {
  const v1::VideoStream& s = encoder.stream;
  const auto encoding = Ver10Encoding(s.codec());
  if (!encoding) return std::nullopt;
  tt::VideoEncoderConfiguration c;
  c.set_name(NameOr(state, encoder.token, s.stream_id()));
  c.set_usecount(UseCount(state, encoder.token));
  c.set_token(encoder.token);
  c.set_encoding(*encoding);
  c.mutable_resolution()->set_width(static_cast<int>(s.resolution().width()));
  c.mutable_resolution()->set_height(static_cast<int>(s.resolution().height()));
  c.set_quality(s.quality());
  // Complete RateControl: clients fail without it (INTEROP §5.22).
  auto* rc = c.mutable_ratecontrol();
  rc->set_frameratelimit(std::max(1, Round(s.framerate())));
  rc->set_encodinginterval(1);
  rc->set_bitratelimit(static_cast<int>(s.bitrate_kbps()));
  if (s.codec() == v1::VIDEO_CODEC_MPEG4) {
    c.mutable_mpeg4()->set_govlength(static_cast<int>(s.gop_length()));
    c.mutable_mpeg4()->set_mpeg4profile(
        Mpeg4ProfileOf(s.codec_profile()).value_or(tt::Mpeg4Profile_SP));
  }
  if (s.codec() == v1::VIDEO_CODEC_H264) {
    c.mutable_h264()->set_govlength(static_cast<int>(s.gop_length()));
    c.mutable_h264()->set_h264profile(
        H264ProfileOf(s.codec_profile()).value_or(tt::H264Profile_Main));
  }
  *c.mutable_multicast() = MulticastOf(state, encoder.token);
  c.set_sessiontimeout(SessionTimeout(state, encoder.token));
  return c;
}

tt::VideoEncoder2Configuration VideoEncoder2ConfigurationOf(const VideoEncoderEntry& encoder,
                                                            const MediaState& state) {
  const v1::VideoStream& s = encoder.stream;
  tt::VideoEncoder2Configuration c;
  c.set_name(NameOr(state, encoder.token, s.stream_id()));
  c.set_usecount(UseCount(state, encoder.token));
  c.set_token(encoder.token);
  c.set_encoding(MimeName(s.codec()));
  c.mutable_resolution()->set_width(static_cast<int>(s.resolution().width()));
  c.mutable_resolution()->set_height(static_cast<int>(s.resolution().height()));
  auto* rc = c.mutable_ratecontrol();
  rc->set_frameratelimit(s.framerate());
  rc->set_bitratelimit(static_cast<int>(s.bitrate_kbps()));
  *c.mutable_multicast() = MulticastOf(state, encoder.token);
  c.set_quality(s.quality());
  if (s.codec() == v1::VIDEO_CODEC_H264 || s.codec() == v1::VIDEO_CODEC_H265) {
    c.set_govlength(static_cast<int>(s.gop_length()));
    if (!s.codec_profile().empty()) c.set_profile(s.codec_profile());
  }
  return c;
}

tt::VideoEncoderConfigurationOptions VideoEncoderConfigurationOptionsOf(
    const std::vector<const VideoEncoderEntry*>& encoders) {
  tt::VideoEncoderConfigurationOptions o;
  float q_min = 0, q_max = 0;
  bool any = false;
  for (v1::VideoCodec codec : {v1::VIDEO_CODEC_JPEG, v1::VIDEO_CODEC_MPEG4, v1::VIDEO_CODEC_H264}) {
    const MergedCodec m = Merge(encoders, codec);
    if (!m.present) continue;
    q_min = any ? std::min(q_min, m.q_min) : m.q_min;
    q_max = any ? std::max(q_max, m.q_max) : m.q_max;
    any = true;
    const int fps_min = std::max(1, static_cast<int>(std::floor(m.fps_min)));
    const int fps_max = std::max(fps_min, static_cast<int>(std::floor(m.fps_max)));
    if (codec == v1::VIDEO_CODEC_JPEG) {
      auto* j = o.mutable_jpeg();
      AddResolutions(m, j->mutable_resolutionsavailable());
      SetIntRange(j->mutable_frameraterange(), fps_min, fps_max);
      SetIntRange(j->mutable_encodingintervalrange(), 1, 1);
      auto* j2 = o.mutable_extension()->mutable_jpeg();
      AddResolutions(m, j2->mutable_resolutionsavailable());
      SetIntRange(j2->mutable_frameraterange(), fps_min, fps_max);
      SetIntRange(j2->mutable_encodingintervalrange(), 1, 1);
      SetIntRange(j2->mutable_bitraterange(), static_cast<int>(m.br_min),
                  static_cast<int>(m.br_max));
    } else if (codec == v1::VIDEO_CODEC_MPEG4) {
      auto fill = [&](auto* m4) {
        AddResolutions(m, m4->mutable_resolutionsavailable());
        SetIntRange(m4->mutable_govlengthrange(), static_cast<int>(m.gov_min),
                    static_cast<int>(m.gov_max));
        SetIntRange(m4->mutable_frameraterange(), fps_min, fps_max);
        SetIntRange(m4->mutable_encodingintervalrange(), 1, 1);
        for (const auto& p : m.profiles) {
          if (auto e = Mpeg4ProfileOf(p)) m4->add_mpeg4profilessupported(*e);
        }
        if (m4->mpeg4profilessupported_size() == 0) {
          m4->add_mpeg4profilessupported(tt::Mpeg4Profile_SP);
        }
      };
      fill(o.mutable_mpeg4());
      auto* m2 = o.mutable_extension()->mutable_mpeg4();
      fill(m2);
      SetIntRange(m2->mutable_bitraterange(), static_cast<int>(m.br_min),
                  static_cast<int>(m.br_max));
    } else {
      auto fill = [&](auto* h) {
        AddResolutions(m, h->mutable_resolutionsavailable());
        SetIntRange(h->mutable_govlengthrange(), static_cast<int>(m.gov_min),
                    static_cast<int>(m.gov_max));
        SetIntRange(h->mutable_frameraterange(), fps_min, fps_max);
        SetIntRange(h->mutable_encodingintervalrange(), 1, 1);
        for (const auto& p : m.profiles) {
          if (auto e = H264ProfileOf(p)) h->add_h264profilessupported(*e);
        }
        if (h->h264profilessupported_size() == 0)
          h->add_h264profilessupported(tt::H264Profile_Main);
      };
      fill(o.mutable_h264());
      auto* h2 = o.mutable_extension()->mutable_h264();
      fill(h2);
      SetIntRange(h2->mutable_bitraterange(), static_cast<int>(m.br_min),
                  static_cast<int>(m.br_max));
    }
  }
  SetIntRange(o.mutable_qualityrange(), static_cast<int>(std::floor(q_min)),
              static_cast<int>(std::ceil(q_max)));
  o.set_guaranteedframeratesupported(false);
  return o;
}

std::vector<tt::VideoEncoder2ConfigurationOptions> VideoEncoder2ConfigurationOptionsOf(
    const std::vector<const VideoEncoderEntry*>& encoders) {
  std::vector<tt::VideoEncoder2ConfigurationOptions> out;
  for (v1::VideoCodec codec :
       {v1::VIDEO_CODEC_H264, v1::VIDEO_CODEC_H265, v1::VIDEO_CODEC_JPEG, v1::VIDEO_CODEC_MPEG4}) {
    const MergedCodec m = Merge(encoders, codec);
    if (!m.present) continue;
    tt::VideoEncoder2ConfigurationOptions o;
    o.set_encoding(MimeName(codec));
    o.mutable_qualityrange()->set_min(m.q_min);
    o.mutable_qualityrange()->set_max(m.q_max);
    AddResolutions(m, o.mutable_resolutionsavailable());
    SetIntRange(o.mutable_bitraterange(), static_cast<int>(m.br_min), static_cast<int>(m.br_max));
    if (codec == v1::VIDEO_CODEC_H264 || codec == v1::VIDEO_CODEC_H265) {
      o.add_govlengthrange(static_cast<int>(m.gov_min));
      o.add_govlengthrange(static_cast<int>(m.gov_max));
      for (const auto& p : m.profiles) o.add_profilessupported(p);
    }
    for (float f : kCommonFrameRates) {
      if (f >= m.fps_min && f < m.fps_max) o.add_frameratessupported(f);
    }
    o.add_frameratessupported(m.fps_max);
    o.set_constantbitratesupported(false);
    out.push_back(std::move(o));
  }
  return out;
}

std::optional<tt::AudioEncoding> Ver10AudioEncoding(v1::AudioCodec codec) {
  switch (codec) {
    case v1::AUDIO_CODEC_G711:
      return tt::AudioEncoding_G711;
    case v1::AUDIO_CODEC_G726:
      return tt::AudioEncoding_G726;
    case v1::AUDIO_CODEC_AAC:
      return tt::AudioEncoding_AAC;
    default:
      return std::nullopt;
  }
}

v1::AudioCodec AudioCodecFromVer10(tt::AudioEncoding encoding) {
  switch (encoding) {
    case tt::AudioEncoding_G726:
      return v1::AUDIO_CODEC_G726;
    case tt::AudioEncoding_AAC:
      return v1::AUDIO_CODEC_AAC;
    default:
      return v1::AUDIO_CODEC_G711;
  }
}

std::string AudioMimeName(v1::AudioCodec codec) {
  // Media2 §5.4 / tt:AudioEncodingMimeNames: G.711 travels as PCMU.
  switch (codec) {
    case v1::AUDIO_CODEC_G711:
      return "PCMU";
    case v1::AUDIO_CODEC_G726:
      return "G726";
    case v1::AUDIO_CODEC_AAC:
      return "MP4A-LATM";
    default:
      return "";
  }
}

std::optional<v1::AudioCodec> AudioCodecFromMimeName(std::string_view name) {
  for (v1::AudioCodec c : {v1::AUDIO_CODEC_G711, v1::AUDIO_CODEC_G726, v1::AUDIO_CODEC_AAC}) {
    if (AudioMimeName(c) == name) return c;
  }
  // The other name of AAC in tt:AudioEncodingMimeNames.
  if (name == "mpeg4-generic") return v1::AUDIO_CODEC_AAC;
  return std::nullopt;
}

tt::AudioSource AudioSourceOf(const AudioSourceEntry& source) {
  tt::AudioSource a;
  a.set_token(source.token);
  a.set_channels(static_cast<int>(std::max(1u, source.source.channels())));
  return a;
}

tt::AudioSourceConfiguration AudioSourceConfigurationOf(const AudioSourceEntry& source,
                                                        const MediaState& state) {
  tt::AudioSourceConfiguration c;
  c.set_name(NameOr(state, source.configuration_token, source.label + " audio"));
  c.set_usecount(UseCount(state, source.configuration_token));
  c.set_token(source.configuration_token);
  c.set_sourcetoken(source.token);
  return c;
}

tt::AudioSourceConfigurationOptions AudioSourceConfigurationOptionsOf(
    const std::vector<const AudioSourceEntry*>& sources) {
  tt::AudioSourceConfigurationOptions o;
  for (const AudioSourceEntry* s : sources) o.add_inputtokensavailable(s->token);
  return o;
}

std::optional<tt::AudioEncoderConfiguration> AudioEncoderConfigurationOf(
    const AudioEncoderEntry& encoder, const MediaState& state) {
  const v1::AudioStream& s = encoder.stream;
  const auto encoding = Ver10AudioEncoding(s.codec());
  if (!encoding) return std::nullopt;
  tt::AudioEncoderConfiguration c;
  c.set_name(NameOr(state, encoder.token, s.stream_id()));
  c.set_usecount(UseCount(state, encoder.token));
  c.set_token(encoder.token);
  c.set_encoding(*encoding);
  c.set_bitrate(static_cast<int>(s.bitrate_kbps()));
  c.set_samplerate(static_cast<int>(s.sample_rate_khz()));
  *c.mutable_multicast() = MulticastOf(state, encoder.token);
  c.set_sessiontimeout(SessionTimeout(state, encoder.token));
  return c;
}

tt::AudioEncoder2Configuration AudioEncoder2ConfigurationOf(const AudioEncoderEntry& encoder,
                                                            const MediaState& state) {
  const v1::AudioStream& s = encoder.stream;
  tt::AudioEncoder2Configuration c;
  c.set_name(NameOr(state, encoder.token, s.stream_id()));
  c.set_usecount(UseCount(state, encoder.token));
  c.set_token(encoder.token);
  c.set_encoding(AudioMimeName(s.codec()));
  *c.mutable_multicast() = MulticastOf(state, encoder.token);
  c.set_bitrate(static_cast<int>(s.bitrate_kbps()));
  c.set_samplerate(static_cast<int>(s.sample_rate_khz()));
  return c;
}

namespace {

// Per codec, the bitrates and sample rates of the encoders given.
struct AudioChoices {
  v1::AudioCodec codec;
  std::vector<int> bitrates;
  std::vector<int> sample_rates;
};

std::vector<AudioChoices> ChoicesOf(const std::vector<const AudioEncoderEntry*>& encoders) {
  std::vector<AudioChoices> out;
  auto add_unique = [](std::vector<int>& v, int x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
  };
  for (const AudioEncoderEntry* e : encoders) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const AudioChoices& c) { return c.codec == e->stream.codec(); });
    if (it == out.end()) it = out.insert(out.end(), AudioChoices{e->stream.codec(), {}, {}});
    add_unique(it->bitrates, static_cast<int>(e->stream.bitrate_kbps()));
    add_unique(it->sample_rates, static_cast<int>(e->stream.sample_rate_khz()));
  }
  return out;
}

}  // namespace

tt::AudioEncoderConfigurationOptions AudioEncoderConfigurationOptionsOf(
    const std::vector<const AudioEncoderEntry*>& encoders) {
  tt::AudioEncoderConfigurationOptions o;
  for (const AudioChoices& c : ChoicesOf(encoders)) {
    const auto encoding = Ver10AudioEncoding(c.codec);
    if (!encoding) continue;
    auto* option = o.add_options();
    option->set_encoding(*encoding);
    for (int b : c.bitrates) option->mutable_bitratelist()->add_items(b);
    for (int r : c.sample_rates) option->mutable_sampleratelist()->add_items(r);
  }
  return o;
}

std::vector<tt::AudioEncoder2ConfigurationOptions> AudioEncoder2ConfigurationOptionsOf(
    const std::vector<const AudioEncoderEntry*>& encoders) {
  std::vector<tt::AudioEncoder2ConfigurationOptions> out;
  for (const AudioChoices& c : ChoicesOf(encoders)) {
    const std::string name = AudioMimeName(c.codec);
    if (name.empty()) continue;
    tt::AudioEncoder2ConfigurationOptions option;
    option.set_encoding(name);
    for (int b : c.bitrates) option.mutable_bitratelist()->add_items(b);
    for (int r : c.sample_rates) option.mutable_sampleratelist()->add_items(r);
    out.push_back(std::move(option));
  }
  return out;
}

tt::MetadataConfiguration MetadataConfigurationOf(const MediaState& state) {
  const std::string token(kMetadataToken);
  tt::MetadataConfiguration c;
  c.set_name(NameOr(state, token, "Metadata"));
  c.set_usecount(UseCount(state, token));
  c.set_token(token);
  const StoredConfiguration* stored = Stored(state, token);
  c.set_analytics(stored != nullptr && stored->analytics());
  *c.mutable_multicast() = MulticastOf(state, token);
  c.set_sessiontimeout(SessionTimeout(state, token));
  return c;
}

tt::MetadataConfigurationOptions MetadataConfigurationOptionsOf() {
  // No PTZ head yet: no PTZ status in metadata.
  tt::MetadataConfigurationOptions o;
  o.mutable_ptzstatusfilteroptions()->set_pantiltstatussupported(false);
  o.mutable_ptzstatusfilteroptions()->set_zoomstatussupported(false);
  return o;
}

tt::Profile ProfileOf(const StoredProfile& profile, const MediaCatalog& catalog,
                      const MediaState& state) {
  tt::Profile p;
  p.set_name(profile.name());
  p.set_token(profile.token());
  p.set_fixed(profile.fixed());
  if (const VideoSourceEntry* s = catalog.SourceConfiguration(profile.video_source())) {
    *p.mutable_videosourceconfiguration() = VideoSourceConfigurationOf(*s, state);
  }
  if (const VideoEncoderEntry* e = catalog.Encoder(profile.video_encoder())) {
    if (auto c = VideoEncoderConfigurationOf(*e, state))
      *p.mutable_videoencoderconfiguration() = *c;
  }
  if (const AudioSourceEntry* a = catalog.AudioSourceConfiguration(profile.audio_source())) {
    *p.mutable_audiosourceconfiguration() = AudioSourceConfigurationOf(*a, state);
  }
  if (const AudioEncoderEntry* a = catalog.AudioEncoder(profile.audio_encoder())) {
    if (auto c = AudioEncoderConfigurationOf(*a, state)) {
      *p.mutable_audioencoderconfiguration() = *c;
    }
  }
  if (profile.metadata() == kMetadataToken) {
    *p.mutable_metadataconfiguration() = MetadataConfigurationOf(state);
  }
  if (const PtzNodeEntry* head = catalog.PtzConfiguration(profile.ptz())) {
    *p.mutable_ptzconfiguration() = ptz::ConfigurationOf(*head, state);
  }
  return p;
}

tr2::MediaProfile MediaProfileOf(const StoredProfile& profile, const MediaCatalog& catalog,
                                 const MediaState& state, bool with_configurations) {
  tr2::MediaProfile p;
  p.set_name(profile.name());
  p.set_token(profile.token());
  p.set_fixed(profile.fixed());
  if (!with_configurations) return p;
  auto* set = p.mutable_configurations();
  if (const VideoSourceEntry* s = catalog.SourceConfiguration(profile.video_source())) {
    *set->mutable_videosource() = VideoSourceConfigurationOf(*s, state);
  }
  if (const VideoEncoderEntry* e = catalog.Encoder(profile.video_encoder())) {
    *set->mutable_videoencoder() = VideoEncoder2ConfigurationOf(*e, state);
  }
  if (const AudioSourceEntry* a = catalog.AudioSourceConfiguration(profile.audio_source())) {
    *set->mutable_audiosource() = AudioSourceConfigurationOf(*a, state);
  }
  if (const AudioEncoderEntry* a = catalog.AudioEncoder(profile.audio_encoder())) {
    *set->mutable_audioencoder() = AudioEncoder2ConfigurationOf(*a, state);
  }
  if (profile.metadata() == kMetadataToken)
    *set->mutable_metadata() = MetadataConfigurationOf(state);
  if (const PtzNodeEntry* head = catalog.PtzConfiguration(profile.ptz())) {
    *set->mutable_ptz() = ptz::ConfigurationOf(*head, state);
  }
  return p;
}

}  // namespace onvifgw::services::media

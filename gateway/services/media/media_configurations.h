#pragma once
// The ONVIF shapes of a device's media: video sources, configurations,
// their options and profiles, for Media (ver10) and Media2 (ver20), built
// from the catalog (what the camera delivers) and the stored state (what
// clients named and set). Both services use these, so they always agree.

#include <optional>
#include <string>
#include <vector>

#include "onvif/generated/tr2.pb.h"
#include "onvif/generated/trt.pb.h"
#include "onvif/generated/tt.pb.h"
#include "services/media/media_catalog.h"
#include "services/media/media_profile_store.h"

namespace onvifgw::services::media {

namespace tt = ::onvifgw::onvif::tt;
namespace tr2 = ::onvifgw::onvif::tr2;

/// Session timeout of configurations nobody has set (RTSP keep-alive).
inline constexpr const char* kDefaultSessionTimeout = "PT60S";

/// What an encoder can be set to: the camera's options when it applies
/// changes, else exactly its current values.
v1::EncoderOptions EffectiveOptions(const VideoEncoderEntry& encoder);
/// The options for one codec, or nullptr.
const v1::CodecOptions* CodecOptionsFor(const v1::EncoderOptions& options, v1::VideoCodec codec);

/// Media2 encoding names (tt:VideoEncodingMimeNames) and back.
std::string MimeName(v1::VideoCodec codec);
std::optional<v1::VideoCodec> CodecFromMimeName(std::string_view name);
/// Media ver10 encodings; nullopt for what ver10 cannot describe (H.265).
std::optional<tt::VideoEncoding> Ver10Encoding(v1::VideoCodec codec);
v1::VideoCodec CodecFromVer10(tt::VideoEncoding encoding);

tt::VideoSource VideoSourceOf(const VideoSourceEntry& source);
tt::VideoSourceConfiguration VideoSourceConfigurationOf(const VideoSourceEntry& source,
                                                        const MediaState& state);
tt::VideoSourceConfigurationOptions VideoSourceConfigurationOptionsOf(
    const VideoSourceEntry& source);

/// nullopt when the stream's codec has no ver10 name (H.265).
std::optional<tt::VideoEncoderConfiguration> VideoEncoderConfigurationOf(
    const VideoEncoderEntry& encoder, const MediaState& state);
tt::VideoEncoder2Configuration VideoEncoder2ConfigurationOf(const VideoEncoderEntry& encoder,
                                                            const MediaState& state);
/// Options of several encoders merged (ranges widened, lists joined).
tt::VideoEncoderConfigurationOptions VideoEncoderConfigurationOptionsOf(
    const std::vector<const VideoEncoderEntry*>& encoders);
std::vector<tt::VideoEncoder2ConfigurationOptions> VideoEncoder2ConfigurationOptionsOf(
    const std::vector<const VideoEncoderEntry*>& encoders);

/// Audio encodings: ver10 names, Media2 names (tt:AudioEncodingMimeNames).
std::optional<tt::AudioEncoding> Ver10AudioEncoding(v1::AudioCodec codec);
v1::AudioCodec AudioCodecFromVer10(tt::AudioEncoding encoding);
std::string AudioMimeName(v1::AudioCodec codec);
std::optional<v1::AudioCodec> AudioCodecFromMimeName(std::string_view name);

tt::AudioSource AudioSourceOf(const AudioSourceEntry& source);
tt::AudioSourceConfiguration AudioSourceConfigurationOf(const AudioSourceEntry& source,
                                                        const MediaState& state);
/// The inputs a configuration can take: the sources given.
tt::AudioSourceConfigurationOptions AudioSourceConfigurationOptionsOf(
    const std::vector<const AudioSourceEntry*>& sources);
/// nullopt when the codec has no ver10 name.
std::optional<tt::AudioEncoderConfiguration> AudioEncoderConfigurationOf(
    const AudioEncoderEntry& encoder, const MediaState& state);
tt::AudioEncoder2Configuration AudioEncoder2ConfigurationOf(const AudioEncoderEntry& encoder,
                                                            const MediaState& state);
/// Audio encodings are fixed as the camera describes them: the options are
/// the encoders' current values, one entry per encoding.
tt::AudioEncoderConfigurationOptions AudioEncoderConfigurationOptionsOf(
    const std::vector<const AudioEncoderEntry*>& encoders);
std::vector<tt::AudioEncoder2ConfigurationOptions> AudioEncoder2ConfigurationOptionsOf(
    const std::vector<const AudioEncoderEntry*>& encoders);

tt::MetadataConfiguration MetadataConfigurationOf(const MediaState& state);
tt::MetadataConfigurationOptions MetadataConfigurationOptionsOf();

tt::MulticastConfiguration MulticastOf(const MediaState& state, const std::string& token);

/// A stored profile as Media ver10 and Media2 show it.
tt::Profile ProfileOf(const StoredProfile& profile, const MediaCatalog& catalog,
                      const MediaState& state);
tr2::MediaProfile MediaProfileOf(const StoredProfile& profile, const MediaCatalog& catalog,
                                 const MediaState& state, bool with_configurations);

}  // namespace onvifgw::services::media

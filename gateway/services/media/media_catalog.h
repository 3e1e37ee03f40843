#pragma once
// What a virtual device offers for media, as ONVIF names it, derived from
// the adapter's cached facts: one video source per camera source, one video
// source configuration per video source, one video encoder configuration per
// stream the camera delivers, one metadata configuration per device; and,
// for cameras with audio inputs, one audio source and audio source
// configuration per input and one audio encoder configuration per encoding.
//
// Tokens are derived from the adapter's stable ids (never from list
// positions), so they survive restarts and camera reordering. A catalog is
// an immutable value built per request: cheap (a few small copies), and
// never half-updated while a FactsChanged refresh replaces the facts.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/camera_adapter.h"
#include "config/gateway_config.h"

namespace onvifgw::services::media {

namespace v1 = ::onvifgw::adapter::v1;

/// One camera presented by a virtual device.
struct CameraBinding {
  std::string camera_id;
  /// Prepended to every token of the camera: empty when the device presents
  /// one camera, "<n>_" when it presents several (an encoder/NVR).
  std::string token_prefix;
};

struct VideoSourceEntry {
  std::string token;                ///< tt:VideoSource token: "VideoSource_" + part
  std::string part;                 ///< camera prefix + token-safe source id
  std::string configuration_token;  ///< its (only) tt:VideoSourceConfiguration
  std::string camera_id;
  std::string label;  ///< the camera's label, for default names
  v1::VideoSource source;
};

struct VideoEncoderEntry {
  std::string token;  ///< tt:VideoEncoderConfiguration token
  std::string source_token;
  std::string camera_id;
  std::string source_id;
  v1::VideoStream stream;
  /// The camera applies changes (capability and options both present).
  bool configurable = false;
  /// The audio encoder whose audio this stream carries; empty: none.
  std::string audio_encoder_token;
  /// The relay encodes the camera's JPEG as H.264 (relay_encoding.h):
  /// `stream` is what clients see, `camera_stream` what the camera delivers,
  /// `camera_configurable` whether the camera applies changes.
  bool relay_encoded = false;
  v1::VideoStream camera_stream;
  bool camera_configurable = false;
};

struct AudioSourceEntry {
  std::string token;                ///< tt:AudioSource token: "AudioSource_" + part
  std::string part;                 ///< camera prefix + token-safe source id
  std::string configuration_token;  ///< its (only) tt:AudioSourceConfiguration
  std::string camera_id;
  std::string label;  ///< the camera's label, for default names
  v1::AudioSource source;
};

struct AudioEncoderEntry {
  std::string token;  ///< tt:AudioEncoderConfiguration token
  std::string source_token;
  std::string camera_id;
  std::string source_id;
  v1::AudioStream stream;
};

/// One PTZ head of a camera and its (only) tt:PTZConfiguration.
struct PtzNodeEntry {
  std::string token;                ///< tt:PTZNode token: "PTZNode_" + part
  std::string configuration_token;  ///< "ptz_" + part
  std::string part;                 ///< camera prefix + token-safe node id
  std::string camera_id;
  std::string source_token;  ///< the tt:VideoSource it moves (empty: unknown)
  v1::PtzNode node;
  /// The camera's auxiliary commands (the node's tt:AuxiliaryCommands).
  std::vector<std::string> auxiliary_commands;
};

/// The device's only metadata configuration.
inline constexpr std::string_view kMetadataToken = "meta";

class MediaCatalog {
 public:
  /// Built from the adapter's cached facts; cameras the adapter does not
  /// (yet) describe contribute nothing.
  static MediaCatalog Build(const adapters::CameraAdapter* adapter,
                            const std::vector<CameraBinding>& cameras);

  const std::vector<VideoSourceEntry>& sources() const { return sources_; }
  const std::vector<VideoEncoderEntry>& encoders() const { return encoders_; }
  const std::vector<AudioSourceEntry>& audio_sources() const { return audio_sources_; }
  const std::vector<AudioEncoderEntry>& audio_encoders() const { return audio_encoders_; }
  const std::vector<PtzNodeEntry>& ptz_nodes() const { return ptz_nodes_; }

  const VideoSourceEntry* Source(std::string_view token) const;
  const VideoSourceEntry* SourceConfiguration(std::string_view token) const;
  const VideoEncoderEntry* Encoder(std::string_view token) const;
  const AudioSourceEntry* AudioSource(std::string_view token) const;
  const AudioSourceEntry* AudioSourceConfiguration(std::string_view token) const;
  const AudioEncoderEntry* AudioEncoder(std::string_view token) const;
  const PtzNodeEntry* PtzNode(std::string_view token) const;
  const PtzNodeEntry* PtzConfiguration(std::string_view token) const;
  /// The PTZ head that moves a video source (by tt:VideoSource token), or nullptr.
  const PtzNodeEntry* PtzNodeMoving(std::string_view source_token) const;

  /// Whether any camera of the device has an audio input.
  bool has_audio() const { return !audio_sources_.empty(); }

  /// Whether the adapter was reached and described at least one source.
  bool empty() const { return sources_.empty(); }

  /// The encoders, for presenting them as the relay delivers them
  /// (PresentRelayEncoding) before the catalog is used.
  std::vector<VideoEncoderEntry>& mutable_encoders() { return encoders_; }

 private:
  std::vector<VideoSourceEntry> sources_;
  std::vector<VideoEncoderEntry> encoders_;
  std::vector<AudioSourceEntry> audio_sources_;
  std::vector<AudioEncoderEntry> audio_encoders_;
  std::vector<PtzNodeEntry> ptz_nodes_;
};

/// An adapter id made token-safe: [A-Za-z0-9_-] kept, anything else '-',
/// at most 16 characters.
std::string TokenPart(std::string_view id);

/// The cameras a device presents, with their token prefixes.
std::vector<CameraBinding> CameraBindings(const config::DeviceConfig& device);

/// The tt:VideoSource token of a camera's source on a device (media lists,
/// motion events' Source); empty if the device does not present the camera.
std::string VideoSourceToken(const config::DeviceConfig& device, std::string_view camera_id,
                             std::string_view source_id);
/// The token of that source's (only) tt:VideoSourceConfiguration; empty
/// likewise.
std::string VideoSourceConfigurationToken(const config::DeviceConfig& device,
                                          std::string_view camera_id, std::string_view source_id);

}  // namespace onvifgw::services::media

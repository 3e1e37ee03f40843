#include "services/media/media_catalog.h"

#include <cctype>

namespace onvifgw::services::media {

std::string TokenPart(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (char c : id) {
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
    out.push_back(safe ? c : '-');
  }
  // ReferenceToken is at most 64 characters; the longest token built from a
  // part is "enc_" + source + "_" + stream, so parts are kept to 24.
  if (out.size() > 24) out.resize(24);
  return out;
}

MediaCatalog MediaCatalog::Build(const adapters::CameraAdapter* adapter,
                                 const std::vector<CameraBinding>& cameras) {
  MediaCatalog catalog;
  if (adapter == nullptr) return catalog;
  const auto facts = adapter->facts();
  if (!facts) return catalog;
  for (const CameraBinding& binding : cameras) {
    const adapters::CameraFacts* camera = facts->Camera(binding.camera_id);
    if (camera == nullptr || !camera->description.capabilities().video_sources()) continue;
    const bool can_apply = camera->description.capabilities().video_encoder_configuration();
    for (const v1::VideoSource& source : camera->video_sources.sources()) {
      const std::string part = binding.token_prefix + TokenPart(source.source_id());
      VideoSourceEntry entry;
      entry.token = "src_" + part;
      entry.configuration_token = "vsc_" + part;
      entry.camera_id = binding.camera_id;
      entry.label =
          camera->description.label().empty() ? binding.camera_id : camera->description.label();
      entry.source = source;
      entry.source.clear_streams();
      for (const v1::VideoStream& stream : source.streams()) {
        VideoEncoderEntry enc;
        enc.token = "enc_" + part + "_" + TokenPart(stream.stream_id());
        enc.source_token = entry.token;
        enc.camera_id = binding.camera_id;
        enc.source_id = source.source_id();
        enc.stream = stream;
        enc.configurable = can_apply && stream.has_options() && stream.options().codecs_size() > 0;
        catalog.encoders_.push_back(std::move(enc));
      }
      catalog.sources_.push_back(std::move(entry));
    }
  }
  return catalog;
}

const VideoSourceEntry* MediaCatalog::Source(std::string_view token) const {
  for (const auto& s : sources_) {
    if (s.token == token) return &s;
  }
  return nullptr;
}

const VideoSourceEntry* MediaCatalog::SourceConfiguration(std::string_view token) const {
  for (const auto& s : sources_) {
    if (s.configuration_token == token) return &s;
  }
  return nullptr;
}

const VideoEncoderEntry* MediaCatalog::Encoder(std::string_view token) const {
  for (const auto& e : encoders_) {
    if (e.token == token) return &e;
  }
  return nullptr;
}

}  // namespace onvifgw::services::media

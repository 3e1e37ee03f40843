#include "adapters/sdk/multipart_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace onvifgw::adapter_sdk {
namespace {

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The end of the header block starting at `from`: the index just past the blank line, or npos.
size_t HeaderBlockEnd(std::string_view buffer) {
  // A blank line right away (a part without headers) counts too.
  if (buffer.starts_with("\r\n")) return 2;
  if (buffer.starts_with("\n")) return 1;
  size_t crlf = buffer.find("\r\n\r\n");
  size_t lf = buffer.find("\n\n");
  size_t end = std::string_view::npos;
  if (crlf != std::string_view::npos) end = crlf + 4;
  if (lf != std::string_view::npos && (end == std::string_view::npos || lf + 2 < end)) end = lf + 2;
  return end;
}

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  if (!StartsWithIgnoreCase(Trim(content_type), "multipart/")) return std::nullopt;
  size_t pos = 0;
  while ((pos = content_type.find(';', pos)) != std::string_view::npos) {
    std::string_view param = Trim(content_type.substr(pos + 1));
    ++pos;
    if (!StartsWithIgnoreCase(param, "boundary")) continue;
    param.remove_prefix(8);
    param = Trim(param);
    if (param.empty() || param.front() != '=') continue;
    param.remove_prefix(1);
    param = Trim(param);
    std::string boundary;
    if (!param.empty() && param.front() == '"') {
      size_t close = param.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      boundary = std::string(param.substr(1, close - 1));
    } else {
      boundary = std::string(param.substr(0, param.find(';')));
      boundary = std::string(Trim(boundary));
    }
    if (boundary.empty()) return std::nullopt;
    return boundary;
  }
  return std::nullopt;
}

MultipartParser::MultipartParser(std::string boundary, size_t max_part_bytes,
                                 size_t max_header_bytes)
    // A boundary declared with its dashes ("--myboundary") is written as declared by those
    // cameras; searching for "--" + the rest of the name finds both conventions.
    : delimiter_(boundary.starts_with("--") ? boundary : "--" + boundary),
      max_part_bytes_(max_part_bytes),
      max_header_bytes_(max_header_bytes) {}

bool MultipartParser::SeekBoundary() {
  size_t at = buffer_.find(delimiter_);
  if (at == std::string::npos) {
    // Keep only a tail that could still be the start of the delimiter.
    if (buffer_.size() >= delimiter_.size())
      buffer_.erase(0, buffer_.size() - delimiter_.size() + 1);
    return false;
  }
  size_t line_end = buffer_.find('\n', at + delimiter_.size());
  if (line_end == std::string::npos) {
    buffer_.erase(0, at);
    return false;
  }
  buffer_.erase(0, line_end + 1);
  state_ = State::kHeaders;
  content_length_.reset();
  content_type_.clear();
  return true;
}

Result<bool> MultipartParser::ReadHeaders() {
  size_t end = HeaderBlockEnd(buffer_);
  if (end == std::string::npos) {
    if (buffer_.size() > max_header_bytes_) {
      return Error{"a multipart part's headers exceed " + std::to_string(max_header_bytes_) +
                   " bytes"};
    }
    return false;
  }
  if (end > max_header_bytes_) {
    return Error{"a multipart part's headers exceed " + std::to_string(max_header_bytes_) +
                 " bytes"};
  }
  std::string_view block(buffer_.data(), end);
  size_t line_start = 0;
  while (line_start < block.size()) {
    size_t line_end = block.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = block.size();
    std::string_view line = Trim(block.substr(line_start, line_end - line_start));
    line_start = line_end + 1;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (name.size() == 14 && StartsWithIgnoreCase(name, "content-length")) {
      size_t length = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (ec != std::errc() || ptr != value.data() + value.size()) {
        return Error{"a multipart part's Content-Length is not a number: " + std::string(value)};
      }
      if (length > max_part_bytes_) {
        return Error{"a multipart part of " + std::to_string(length) +
                     " bytes exceeds the limit of " + std::to_string(max_part_bytes_)};
      }
      content_length_ = length;
    } else if (name.size() == 12 && StartsWithIgnoreCase(name, "content-type")) {
      content_type_ = std::string(value);
    }
  }
  buffer_.erase(0, end);
  state_ = State::kBody;
  return true;
}

Result<bool> MultipartParser::ReadBody(const PartHandler& on_part) {
  size_t body_size = 0;
  size_t consumed = 0;
  if (content_length_) {
    if (buffer_.size() < *content_length_) return false;
    body_size = *content_length_;
    consumed = body_size;
  } else {
    // No length: the part runs to the line break before the next delimiter.
    size_t at = buffer_.find(delimiter_);
    if (at == std::string::npos) {
      if (buffer_.size() > max_part_bytes_ + delimiter_.size() + 2) {
        return Error{"a multipart part without Content-Length exceeds the limit of " +
                     std::to_string(max_part_bytes_) + " bytes"};
      }
      return false;
    }
    body_size = at;
    if (body_size > 0 && buffer_[body_size - 1] == '\n') --body_size;
    if (body_size > 0 && buffer_[body_size - 1] == '\r') --body_size;
    if (body_size > max_part_bytes_) {
      return Error{"a multipart part without Content-Length exceeds the limit of " +
                   std::to_string(max_part_bytes_) + " bytes"};
    }
    consumed = at;  // the delimiter stays for SeekBoundary
  }
  ++part_count_;
  bool more = on_part(std::string_view(buffer_.data(), body_size), content_type_);
  buffer_.erase(0, consumed);
  state_ = State::kSeekBoundary;
  if (!more) stopped_ = true;
  return true;
}

Result<void> MultipartParser::Feed(std::string_view bytes, const PartHandler& on_part) {
  if (failure_) return *failure_;
  if (stopped_) return {};
  buffer_.append(bytes);
  while (!stopped_) {
    Result<bool> progressed = true;
    switch (state_) {
      case State::kSeekBoundary:
        progressed = SeekBoundary();
        break;
      case State::kHeaders:
        progressed = ReadHeaders();
        break;
      case State::kBody:
        progressed = ReadBody(on_part);
        break;
    }
    if (!progressed.ok()) {
      failure_ = progressed.error();
      buffer_.clear();
      return *failure_;
    }
    if (!progressed.value()) break;
  }
  return {};
}

}  // namespace onvifgw::adapter_sdk

#pragma once
// Reads a multipart/x-mixed-replace body (the MJPEG "server push" every legacy camera speaks) as it
// arrives, one picture at a time. Cameras disagree on the details, so this is lenient where they
// differ and strict where a mistake would cost memory:
//   * the boundary comes from the Content-Type header; some cameras declare it with the leading
//     "--" ("boundary=--myboundary") and write it the same way, others add the "--" on the wire;
//   * parts with a Content-Length are cut by it; parts without one run to the next boundary;
//   * lines end in CRLF or a bare LF; bytes before the first boundary are skipped;
//   * a part or a header block beyond the configured limits is an error, never a growing buffer.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/sdk/result.h"

namespace onvifgw::adapter_sdk {

/// The boundary parameter of a multipart Content-Type ("multipart/x-mixed-replace;boundary=x",
/// quoted or not); nullopt when the type is not multipart or names no boundary.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

class MultipartParser {
 public:
  /// Called with each complete part's body and its Content-Type (empty when the part named none);
  /// returning false stops the parser (Feed then returns at once and ignores later input).
  using PartHandler = std::function<bool(std::string_view body, std::string_view content_type)>;

  MultipartParser(std::string boundary, size_t max_part_bytes, size_t max_header_bytes = 4096);

  /// Consumes `bytes` (any split is fine), calling `on_part` for every part completed by them.
  /// An error (a part or header block over its limit, a Content-Length that is not a number)
  /// leaves the parser failed: later calls return the same error.
  Result<void> Feed(std::string_view bytes, const PartHandler& on_part);

  /// Parts delivered so far.
  size_t part_count() const { return part_count_; }
  /// False once a handler returned false.
  bool wants_more() const { return !stopped_; }

 private:
  enum class State { kSeekBoundary, kHeaders, kBody };

  // Each step consumes from buffer_ what it can; false means "need more bytes".
  bool SeekBoundary();
  Result<bool> ReadHeaders();
  Result<bool> ReadBody(const PartHandler& on_part);

  std::string delimiter_;  // what starts a boundary line on the wire
  size_t max_part_bytes_;
  size_t max_header_bytes_;
  std::string buffer_;
  State state_ = State::kSeekBoundary;
  std::optional<size_t> content_length_;
  std::string content_type_;
  std::optional<Error> failure_;
  size_t part_count_ = 0;
  bool stopped_ = false;
};

}  // namespace onvifgw::adapter_sdk

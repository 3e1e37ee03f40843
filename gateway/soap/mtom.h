#pragma once
// SOAP messages with binary attachments: MTOM (SOAP 1.2 Message Transmission
// Optimization Mechanism) packaging, i.e. XOP (XML-binary Optimized
// Packaging) in a MIME multipart/related body (RFC 2387, RFC 2046 §5.1).
// The envelope is the root part (application/xop+xml); each binary value
// is a part of its own that an <xop:Include href="cid:..."/> names (RFC
// 2392). ONVIF carries backups and firmware this way (GetSystemBackup,
// RestoreSystem, UpgradeSystemFirmware: tt:AttachmentData).
//
// The codec keeps xop:Include as the element it is; handlers look the part
// up by its href. Pure functions and value types; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "soap/fault.h"

namespace onvifgw::soap {

/// One part of a received multipart/related message.
struct ReceivedPart {
  std::string content_id;  ///< without its angle brackets
  std::string content_type;
  std::string_view raw;                ///< views the request body
  std::optional<std::string> decoded;  ///< a base64 transfer encoding, decoded

  std::string_view data() const { return decoded ? std::string_view(*decoded) : raw; }
};

/// The binary parts of a received message (all parts but its envelope).
struct ReceivedAttachments {
  std::vector<ReceivedPart> parts;

  /// The part an xop:Include href ("cid:" URL, RFC 2392) names; nullptr when
  /// none does.
  const ReceivedPart* Find(std::string_view href) const;
};

struct MtomRequest {
  std::string_view envelope;  ///< the root part, views the request body
  ReceivedAttachments attachments;
};

/// Whether a request's Content-Type is a MIME multipart/related package.
bool IsMultipartRelated(std::string_view content_type);

/// Most parts a received package may have.
inline constexpr std::size_t kMaxParts = 64;

/// Splits a multipart/related body into its envelope and attachments. A
/// malformed package is env:Sender/ter:WellFormed. The result views `body`.
Expected<MtomRequest, Fault> ParseMtom(std::string_view content_type, std::string_view body);

/// Binary parts a reply carries; a handler adds them while it builds the
/// reply. Not thread-safe: one request's handler adds them.
class OutgoingAttachments {
 public:
  struct Part {
    std::string content_id;
    std::string content_type;
    std::string data;
  };

  /// Adds a part; returns the href an xop:Include names it by.
  std::string Add(std::string content_type, std::string data);
  const std::vector<Part>& parts() const { return parts_; }
  bool empty() const { return parts_.empty(); }

 private:
  std::vector<Part> parts_;
};

struct MtomMessage {
  std::string content_type;  ///< the HTTP Content-Type, with the boundary
  std::string body;
};

/// Packages `envelope` (which names the parts by their hrefs) and the parts.
MtomMessage WriteMtom(std::string_view envelope, const OutgoingAttachments& attachments);

}  // namespace onvifgw::soap

#include "soap/mtom.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <random>

#include "core/base64.h"
#include "core/media_type.h"

namespace onvifgw::soap {
namespace {

constexpr std::string_view kRootId = "envelope@onvifgw";

Fault Malformed(const std::string& why) {
  return WellFormed("The MIME multipart/related package is malformed: " + why);
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view Unbracketed(std::string_view id) {
  id = Trim(id);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return id;
}

// RFC 3986 percent-decoding of a cid URL's content-id part.
std::optional<std::string> PercentDecoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    unsigned value = 0;
    const char* first = s.data() + i + 1;
    const char* last = first + std::min<std::size_t>(2, s.size() - i - 1);
    const auto [end, ec] = std::from_chars(first, last, value, 16);
    if (ec != std::errc() || end != first + 2) return std::nullopt;
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

// Where the delimiter line `--boundary` starts at or after `from`: at the
// very start or right after a line break; npos when there is none.
std::size_t FindDelimiter(std::string_view body, std::string_view dash_boundary, std::size_t from) {
  for (std::size_t at = body.find(dash_boundary, from); at != std::string_view::npos;
       at = body.find(dash_boundary, at + 1)) {
    if (at == 0 || body[at - 1] == '\n') return at;
  }
  return std::string_view::npos;
}

// A part's header block, one field per line (no folding: MIME part headers
// from SOAP stacks are single lines).
Status<std::string> ParsePartHeaders(std::string_view block, ReceivedPart* part,
                                     std::string* transfer_encoding) {
  while (!block.empty()) {
    const std::size_t eol = block.find('\n');
    std::string_view line = Trim(block.substr(0, eol));
    block = eol == std::string_view::npos ? "" : block.substr(eol + 1);
    if (line.empty()) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return MakeUnexpected(std::string("a header without ':'"));
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (IEquals(name, "Content-ID")) {
      part->content_id = std::string(Unbracketed(value));
    } else if (IEquals(name, "Content-Type")) {
      part->content_type = std::string(value);
    } else if (IEquals(name, "Content-Transfer-Encoding")) {
      *transfer_encoding = ParseMediaType(value).type;  // lower-cased token
    }
  }
  return {};
}

Status<std::string> DecodeTransfer(const std::string& encoding, ReceivedPart* part) {
  if (encoding.empty() || encoding == "binary" || encoding == "8bit" || encoding == "7bit") {
    return {};
  }
  if (encoding != "base64") {
    return MakeUnexpected("the transfer encoding " + encoding + " is not supported");
  }
  std::string compact;
  compact.reserve(part->raw.size());
  for (char c : part->raw) {
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t') compact.push_back(c);
  }
  auto decoded = Base64Decode(compact);
  if (!decoded) return MakeUnexpected(std::string("a base64 part does not decode"));
  part->decoded = std::move(*decoded);
  return {};
}

std::string RandomBoundary() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string b = "MIMEBoundary_";
  for (int i = 0; i < 32; ++i) b.push_back(kHex[rd() % 16]);
  return b;
}

}  // namespace

const ReceivedPart* ReceivedAttachments::Find(std::string_view href) const {
  if (href.size() < 4 || !IEquals(href.substr(0, 4), "cid:")) return nullptr;
  auto id = PercentDecoded(href.substr(4));
  if (!id) return nullptr;
  for (const auto& p : parts) {
    if (p.content_id == *id) return &p;
  }
  return nullptr;
}

bool IsMultipartRelated(std::string_view content_type) {
  return ParseMediaType(content_type).Is("multipart/related");
}

Expected<MtomRequest, Fault> ParseMtom(std::string_view content_type, std::string_view body) {
  const MediaType type = ParseMediaType(content_type);
  const auto boundary = type.Parameter("boundary");
  if (!type.Is("multipart/related") || !boundary || boundary->empty() || boundary->size() > 200) {
    return MakeUnexpected(Malformed("the Content-Type names no boundary"));
  }
  const std::string dash_boundary = "--" + *boundary;
  std::vector<ReceivedPart> parts;
  std::size_t at = FindDelimiter(body, dash_boundary, 0);
  if (at == std::string_view::npos) return MakeUnexpected(Malformed("no part"));
  for (;;) {
    std::size_t p = at + dash_boundary.size();
    if (body.substr(p, 2) == "--") break;  // the close delimiter
    const std::size_t eol = body.find('\n', p);
    if (eol == std::string_view::npos) return MakeUnexpected(Malformed("a part is cut short"));
    p = eol + 1;
    // The header block ends at the first empty line.
    std::size_t header_end = p;
    std::size_t content = std::string_view::npos;
    while (header_end < body.size()) {
      const std::size_t line_end = body.find('\n', header_end);
      if (line_end == std::string_view::npos) break;
      if (Trim(body.substr(header_end, line_end - header_end)).empty()) {
        content = line_end + 1;
        break;
      }
      header_end = line_end + 1;
    }
    if (content == std::string_view::npos) {
      return MakeUnexpected(Malformed("a part's headers do not end"));
    }
    ReceivedPart part;
    std::string transfer_encoding;
    if (auto st = ParsePartHeaders(body.substr(p, header_end - p), &part, &transfer_encoding);
        !st) {
      return MakeUnexpected(Malformed(st.error()));
    }
    const std::size_t next = FindDelimiter(body, dash_boundary, content);
    if (next == std::string_view::npos) {
      return MakeUnexpected(Malformed("the closing boundary is missing"));
    }
    // The line break before a delimiter belongs to the delimiter.
    std::size_t end = next > content ? next - 1 : content;
    if (end > content && body[end - 1] == '\r') --end;
    part.raw = body.substr(content, end - content);
    if (auto st = DecodeTransfer(transfer_encoding, &part); !st) {
      return MakeUnexpected(Malformed(st.error()));
    }
    if (parts.size() == kMaxParts) {
      return MakeUnexpected(Malformed("more than " + std::to_string(kMaxParts) + " parts"));
    }
    parts.push_back(std::move(part));
    at = next;
  }
  if (parts.empty()) return MakeUnexpected(Malformed("no part"));
  // The root is the part `start` names, else the first (RFC 2387 §3.2).
  std::size_t root = 0;
  if (auto start = type.Parameter("start")) {
    const std::string_view id = Unbracketed(*start);
    root = parts.size();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].content_id == id) root = i;
    }
    if (root == parts.size()) {
      return MakeUnexpected(Malformed("no part has the start parameter's Content-ID"));
    }
  }
  const MediaType root_type = ParseMediaType(parts[root].content_type);
  if (!root_type.Is("application/xop+xml") && !root_type.Is("application/soap+xml") &&
      !root_type.Is("text/xml") && !parts[root].content_type.empty()) {
    return MakeUnexpected(
        Malformed("the root part is " + root_type.type + ", not a SOAP envelope"));
  }
  if (parts[root].decoded) {
    return MakeUnexpected(Malformed("the root part must not be base64-encoded"));
  }
  MtomRequest r;
  r.envelope = parts[root].raw;
  parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(root));
  r.attachments.parts = std::move(parts);
  return r;
}

std::string OutgoingAttachments::Add(std::string content_type, std::string data) {
  std::string id = "part" + std::to_string(parts_.size() + 1) + "@onvifgw";
  std::string href = "cid:" + id;
  parts_.push_back(Part{std::move(id), std::move(content_type), std::move(data)});
  return href;
}

MtomMessage WriteMtom(std::string_view envelope, const OutgoingAttachments& attachments) {
  // A boundary that occurs in no part: random, and checked.
  std::string boundary;
  for (bool clash = true; clash;) {
    boundary = RandomBoundary();
    clash = envelope.find(boundary) != std::string_view::npos;
    for (const auto& p : attachments.parts()) {
      clash = clash || p.data.find(boundary) != std::string::npos;
    }
  }
  std::size_t size = envelope.size() + 512;
  for (const auto& p : attachments.parts()) size += p.data.size() + 256;
  MtomMessage m;
  m.content_type = "multipart/related; type=\"application/xop+xml\"; start=\"<";
  m.content_type.append(kRootId).append(">\"; start-info=\"application/soap+xml\"; boundary=\"");
  m.content_type.append(boundary).append("\"");
  m.body.reserve(size);
  m.body.append("--").append(boundary).append("\r\n");
  m.body.append(
      "Content-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n");
  m.body.append("Content-Transfer-Encoding: binary\r\n");
  m.body.append("Content-ID: <").append(kRootId).append(">\r\n\r\n");
  m.body.append(envelope);
  for (const auto& p : attachments.parts()) {
    m.body.append("\r\n--").append(boundary).append("\r\n");
    m.body.append("Content-Type: ").append(p.content_type).append("\r\n");
    m.body.append("Content-Transfer-Encoding: binary\r\n");
    m.body.append("Content-ID: <").append(p.content_id).append(">\r\n\r\n");
    m.body.append(p.data);
  }
  m.body.append("\r\n--").append(boundary).append("--\r\n");
  return m;
}

}  // namespace onvifgw::soap

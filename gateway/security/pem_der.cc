#include "security/pem_der.h"

#include <openssl/crypto.h>

#include <optional>

#include "core/base64.h"

namespace onvifgw::security {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view SkipSpace(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  return text;
}

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kDashes = "-----";

std::string Block(std::size_t n) { return std::string("PEM block ") + std::to_string(n) + ": "; }

// Splits the text between the BEGIN and END lines into RFC 1421 headers
// (lines with ':' before the first blank line) and the base64 body.
void SplitHeaders(std::string_view inner, std::string& headers, std::string_view& body) {
  body = inner;
  std::string_view rest = SkipSpace(inner);
  const std::size_t eol = rest.find('\n');
  if (rest.substr(0, eol).find(':') == std::string_view::npos) return;
  std::size_t blank = rest.find("\n\n");
  std::size_t skip = 2;
  if (const std::size_t crlf = rest.find("\n\r\n"); crlf < blank) {
    blank = crlf;
    skip = 3;
  }
  if (blank == std::string_view::npos) {
    headers = std::string(rest);
    body = {};
    return;
  }
  headers = std::string(rest.substr(0, blank));
  body = rest.substr(blank + skip);
}

}  // namespace

PemBlock::~PemBlock() { OPENSSL_cleanse(der.data(), der.size()); }

Expected<DerElement, std::string> ReadDerElement(std::string_view der) {
  if (der.empty()) return MakeUnexpected(std::string("empty"));
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(der[i]); };
  DerElement element;
  element.tag = byte(0);
  // High tag numbers (0x1f) never start the structures read here.
  if ((element.tag & 0x1f) == 0x1f) return MakeUnexpected(std::string("unexpected DER tag"));
  if (der.size() < 2) return MakeUnexpected(std::string("truncated"));
  std::size_t header = 2;
  std::size_t length = byte(1);
  if (length & 0x80) {
    const std::size_t octets = length & 0x7f;
    // 0x80 is BER's indefinite length, which DER forbids.
    if (octets == 0 || octets > 4) return MakeUnexpected(std::string("bad DER length"));
    if (der.size() < 2 + octets) return MakeUnexpected(std::string("truncated"));
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | byte(2 + i);
    // DER uses the shortest form: no leading zero octet, no long form below 128.
    if (byte(2) == 0 || length < 0x80) return MakeUnexpected(std::string("bad DER length"));
    header += octets;
  }
  if (der.size() - header < length) return MakeUnexpected(std::string("truncated"));
  element.whole = der.substr(0, header + length);
  element.contents = der.substr(header, length);
  return element;
}

bool LooksLikePem(std::string_view text) { return SkipSpace(text).starts_with(kBegin); }

Expected<std::vector<PemBlock>, std::string> ReadPemBlocks(std::string_view text) {
  std::vector<PemBlock> blocks;
  for (std::string_view rest = SkipSpace(text); !rest.empty(); rest = SkipSpace(rest)) {
    const std::size_t n = blocks.size() + 1;
    if (!rest.starts_with(kBegin)) {
      return MakeUnexpected(n == 1 ? std::string("not PEM (no BEGIN line)")
                                   : std::string("unexpected text after PEM block ") +
                                         std::to_string(n - 1));
    }
    rest.remove_prefix(kBegin.size());
    const std::size_t label_end = rest.find(kDashes);
    const std::size_t eol = rest.find('\n');
    if (label_end == std::string_view::npos || label_end > eol) {
      return MakeUnexpected(Block(n) + "bad BEGIN line");
    }
    PemBlock block;
    block.label = std::string(rest.substr(0, label_end));
    rest.remove_prefix(label_end + kDashes.size());
    const std::string end_line = std::string("-----END ") + block.label + "-----";
    const std::size_t end = rest.find(end_line);
    if (end == std::string_view::npos) {
      return MakeUnexpected(Block(n) + "truncated (no END line for " + block.label + ")");
    }
    std::string_view body;
    SplitHeaders(rest.substr(0, end), block.headers, body);
    rest.remove_prefix(end + end_line.size());

    std::string base64;
    base64.reserve(body.size());
    for (char c : body) {
      if (!IsSpace(c)) base64 += c;
    }
    std::optional<std::string> der = Base64Decode(base64);
    OPENSSL_cleanse(base64.data(), base64.size());
    if (!der || der->empty()) return MakeUnexpected(Block(n) + "bad base64 body");
    block.der = std::move(*der);
    blocks.push_back(std::move(block));
  }
  if (blocks.empty()) return MakeUnexpected(std::string("no PEM block"));
  return blocks;
}

}  // namespace onvifgw::security

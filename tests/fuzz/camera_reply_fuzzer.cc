// Bytes from a camera, as an HTTP camera adapter reads them: WWW-Authenticate challenges (and the
// Digest answer made from one) and multipart MJPEG bodies fed in arbitrary pieces. The first byte
// chooses the piece size and the parser's limits, so split points and limit paths are reached.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/sdk/http_auth.h"
#include "adapters/sdk/multipart_parser.h"

using namespace onvifgw::adapter_sdk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  for (const AuthChallenge& challenge : ParseWwwAuthenticate(input)) {
    auto digest = ReadDigestChallenge(challenge);
    if (digest) (void)DigestAuthorization(*digest, {"u", "p"}, "GET", "/x", 1, "c");
  }

  // The boundary is the input's first line when it looks like a Content-Type, else "b".
  std::string boundary = "b";
  if (auto declared = MultipartBoundary(input.substr(0, input.find('\n')))) boundary = *declared;
  MultipartParser parser(boundary, 64 + (mode & 0x0F) * 64, 32 + (mode >> 4) * 32);
  const std::size_t piece = 1 + (mode % 17);
  std::size_t parts = 0;
  for (std::size_t at = 0; at < input.size(); at += piece) {
    auto fed = parser.Feed(input.substr(at, piece), [&](std::string_view body, std::string_view) {
      parts += body.size() > 0 ? 1 : 0;
      return parts < 1000;
    });
    if (!fed) break;
  }
  return 0;
}

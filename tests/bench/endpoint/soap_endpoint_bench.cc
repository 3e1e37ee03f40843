// In-process benchmark of the SOAP request path, without sockets: parse,
// dispatch, authenticate (WS-Security UsernameToken), encode the response.
// It separates what the gateway spends per request in user space from what
// the kernel and the load generator spend, which wrk cannot.
//
//   build/bin/soap_endpoint_bench [iterations [case]]   (default 200000, all cases)
//
// Prints one line per case: ns/request and requests per second of one core.
// Tokens are made before the timed loop (each with its own nonce), so the
// figure is the server's cost only.

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/base64.h"
#include "core/log.h"
#include "security/secret_box.h"
#include "security/username_token.h"
#include "services/authentication.h"
#include "services/device/discovery_settings.h"
#include "services/device_security.h"
#include "services/served_services.h"
#include "services/soap_endpoint.h"
#include "store/state_store.h"

namespace {

using namespace onvifgw;

constexpr const char* kUser = "admin";
constexpr const char* kPassword = "Bench-Passw0rd1";

std::string Envelope(const std::string& header, const std::string& op) {
  return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">" + header + "<s:Body><" +
         op + " xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/></s:Body></s:Envelope>";
}

// The same token shape as tests/bench/soap_auth.lua sends.
std::string TokenHeader(std::chrono::system_clock::time_point now) {
  unsigned char nonce[16];
  RAND_bytes(nonce, sizeof nonce);
  const std::string nonce_bytes(reinterpret_cast<char*>(nonce), sizeof nonce);
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  char created[32];
  std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  const std::string w = "http://docs.oasis-open.org/wss/2004/01/";
  return "<s:Header><Security s:mustUnderstand=\"1\" xmlns=\"" + w +
         "oasis-200401-wss-wssecurity-secext-1.0.xsd\"><UsernameToken><Username>" + kUser +
         "</Username><Password Type=\"" + w +
         "oasis-200401-wss-username-token-profile-1.0#PasswordDigest\">" +
         security::ComputePasswordDigest(nonce_bytes, created, kPassword) +
         "</Password><Nonce EncodingType=\"" + w +
         "oasis-200401-wss-soap-message-security-1.0#Base64Binary\">" + Base64Encode(nonce_bytes) +
         "</Nonce><Created xmlns=\"" + w + "oasis-200401-wss-wssecurity-utility-1.0.xsd\">" +
         created + "</Created></UsernameToken></Security></s:Header>";
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 200000;
  log::SetLevel(log::Level::kError);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("onvifgw-endpoint-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  auto store = store::StateStore::Open(dir.string());
  auto box = security::SecretBox::OpenOrCreate((dir / "secret.key").string());
  if (!store || !box) {
    std::fprintf(stderr, "state: %s\n", !store ? store.error().c_str() : box.error().c_str());
    return 1;
  }
  services::DeviceSecurity::Options options;
  auto sec =
      services::DeviceSecurity::Load("bench", "urn:uuid:0a4f9f61-4c7e-4d8a-9d9e-2f1a3b4c5d6e",
                                     **store, *box, options, config::AdminConfig{kUser, kPassword});
  if (!sec) {
    std::fprintf(stderr, "security: %s\n", sec.error().c_str());
    return 1;
  }
  services::RequestAuthenticator authenticator;
  services::ServiceRegistry registry;
  if (auto st = services::ServeAll(registry); !st) {
    std::fprintf(stderr, "services: %s\n", st.error().c_str());
    return 1;
  }
  services::SoapEndpoint endpoint(registry, soap::XmlLimits{}, &authenticator);
  services::VirtualDevice device;
  device.config.id = "bench";
  device.config.name = "Bench";
  device.identity = {"urn:uuid:0a4f9f61-4c7e-4d8a-9d9e-2f1a3b4c5d6e", "GW0011223344",
                     "02:11:22:33:44:55", "GW-A1B2C3D4"};
  services::device::DiscoverySettings discovery(
      device.config.id, services::FixedScopes(device.config, "SIM-1000"), nullptr);
  device.discovery = &discovery;
  device.security = sec->get();
  const services::RequestContext ctx{
      device, "http", "127.0.0.1:8080", "127.0.0.1", "/onvif/device_service",
      "",     "POST", "127.0.0.1",      std::nullopt};

  struct Case {
    const char* name;
    std::string op;
    bool token;
  };
  const std::vector<Case> cases = {
      {"GetSystemDateAndTime, no token", "GetSystemDateAndTime", false},
      {"GetSystemDateAndTime, token (PRE_AUTH: not checked)", "GetSystemDateAndTime", true},
      {"GetScopes, fresh token per request", "GetScopes", true},
      {"GetSystemDateAndTime, no token (again)", "GetSystemDateAndTime", false},
  };
  const int only = argc > 2 ? std::atoi(argv[2]) : -1;  // for profiling one case
  for (std::size_t ci = 0; ci < cases.size(); ++ci) {
    if (only >= 0 && static_cast<std::size_t>(only) != ci) continue;
    const Case& c = cases[ci];
    std::vector<std::string> requests;
    requests.reserve(iterations);
    // Created spread over the last four minutes, oldest first: like a long
    // run, so the replay cache evicts old entries rather than refusing.
    const auto now = std::chrono::system_clock::now();
    for (long i = 0; i < iterations; ++i) {
      const auto created =
          now - std::chrono::seconds(240) + std::chrono::seconds(240) * i / iterations;
      requests.push_back(Envelope(c.token ? TokenHeader(created) : "", c.op));
    }
    long ok = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& body : requests) {
      endpoint.Handle(body, ctx, [&](services::SoapReply r) { ok += r.http_status == 200; });
    }
    const double ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
        iterations;
    std::printf("%-55s %8.0f ns/request  %9.0f requests/s/core  (%zu bytes, %ld/%ld ok)\n", c.name,
                ns, 1e9 / ns, requests.front().size(), ok, iterations);
    if (ok != iterations) return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}

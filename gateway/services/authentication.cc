#include "services/authentication.h"

#include "core/log.h"
#include "security/crypto_util.h"
#include "security/password_derivation.h"
#include "services/events/event_hub.h"
#include "services/events/event_service.h"

namespace onvifgw::services {
namespace {

using Clock = std::chrono::system_clock;

// The password equivalent a peer acting with UseDerivedPassword sends for
// `user` (FACTS §2.5): derived with this device's endpoint reference, the
// one GetEndpointReference returns. Computed only after the password itself
// failed, so it costs nothing on the normal path.
std::string DerivedPasswordOf(const UserAccount& user, const DeviceSecurity& security) {
  return security::DerivePassword(user.username, user.password, security.endpoint_reference());
}

}  // namespace

RequestAuthenticator::RequestAuthenticator(security::FailureLimiter::Options limiter)
    : limiter_(limiter) {}

AuthRejection RequestAuthenticator::Challenge(DeviceSecurity& security, bool stale,
                                              std::string reason) const {
  AuthRejection r;
  r.http_status = 401;
  r.fault = soap::NotAuthorized(std::move(reason));
  // One challenge per algorithm, MD5 first (ODM fails when SHA-256 leads).
  for (const std::string& c : security.digest().Challenges(stale)) {
    r.headers.emplace_back("WWW-Authenticate", c);
  }
  if (security.options().allow_basic) {
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"" + security.device_id() + "\"");
  }
  return r;
}

AuthRejection RequestAuthenticator::Failure(const RequestContext& ctx, DeviceSecurity& security,
                                            const std::string& username, const char* why) {
  const auto now = Clock::now();
  limiter_.RecordFailure(ctx.remote_address, now);
  const auto decision = limiter_.Check(ctx.remote_address, now);
  // Never the password; the user name helps the operator spot guessing.
  log::WriteAbout(
      log::Level::kWarn, "security", security.device_id(),
      "authentication failed for '" + username + "' from " + ctx.remote_address + " (" + why + ")");
  if (security.RecordAuthFailure(now)) {
    const auto w = security.auth_failure_warning();
    log::WriteAbout(log::Level::kError, "security", security.device_id(),
                    "more than " + std::to_string(w.max_failures) + " authentication failures in " +
                        std::to_string(w.monitor_period_s) + " s (authentication failure warning)");
    // Core §8.4: the warning is also an event, for clients that watch.
    if (ctx.device.events != nullptr) {
      const bool v6 = ctx.remote_address.find(':') != std::string::npos;
      ctx.device.events->Publish(
          ctx.device.config.id,
          events::Notification{std::string(events::kAuthFailedTopic),
                               now,
                               "",
                               {{"NetworkInterface", std::string(events::kNetworkInterfaceToken)}},
                               {{v6 ? "SourceIPv6" : "SourceIPv4", ctx.remote_address}}});
    }
  }
  AuthRejection r = Challenge(security, false, "Sender not authorized");
  r.delay = std::chrono::duration_cast<std::chrono::milliseconds>(decision.delay);
  return r;
}

Expected<Principal, AuthRejection> RequestAuthenticator::Authenticate(const RequestContext& ctx,
                                                                      const xmlNode* soap_header,
                                                                      DeviceSecurity& security) {
  const auto now = Clock::now();
  const auto decision = limiter_.Check(ctx.remote_address, now);
  if (!decision.allowed) {
    AuthRejection r = Challenge(security, false, "Sender not authorized");
    r.delay = std::chrono::duration_cast<std::chrono::milliseconds>(decision.delay);
    return MakeUnexpected(std::move(r));
  }

  std::optional<Principal> http_principal;
  if (!ctx.authorization.empty()) {
    auto header = security::ParseAuthorizationHeader(ctx.authorization);
    if (!header) return MakeUnexpected(Failure(ctx, security, "?", "malformed Authorization"));
    if (header->scheme == security::AuthScheme::kDigest) {
      const auto& d = header->digest;
      auto user = security.FindUser(d.username);
      if (!user) return MakeUnexpected(Failure(ctx, security, d.username, "unknown user"));
      if (!security::DigestUriMatches(d.uri, ctx.path)) {
        return MakeUnexpected(Failure(ctx, security, d.username, "digest uri mismatch"));
      }
      // RTSP clients may answer without qop (RFC 2069), as RTSP servers let them.
      const auto qop =
          ctx.scheme == "rtsp" ? security::DigestQop::kOptional : security::DigestQop::kRequired;
      auto check = security.digest().Verify(d, ctx.method, user->password, now, qop);
      if (check == security::DigestCheck::kBadCredentials) {
        // A wrong response has no side effect: the derived password may
        // be tried with the same nonce count.
        const std::string derived = DerivedPasswordOf(*user, security);
        if (auto alt = security.digest().Verify(d, ctx.method, derived, now, qop);
            alt != security::DigestCheck::kBadCredentials) {
          check = alt;
        }
      }
      switch (check) {
        case security::DigestCheck::kOk:
          http_principal = Principal{user->username, user->level};
          break;
        case security::DigestCheck::kStale:
        case security::DigestCheck::kInvalidNonce:
          // Not a failure: an expired nonce, or one from before a restart
          // (nonces are keyed per process). A forged nonce cannot help a
          // guesser, since its response is never checked. Retry fresh.
          return MakeUnexpected(Challenge(security, true, "Stale nonce"));
        default:
          return MakeUnexpected(Failure(ctx, security, d.username, "HTTP digest"));
      }
    } else if (header->scheme == security::AuthScheme::kBasic && security.options().allow_basic) {
      auto user = security.FindUser(header->basic.username);
      if (!user || !security::SecretEquals(user->password, header->basic.password)) {
        return MakeUnexpected(Failure(ctx, security, header->basic.username, "HTTP basic"));
      }
      http_principal = Principal{user->username, user->level};
    }
    // Any other scheme is ignored, as if no header had been sent.
  }

  auto token = security::ParseUsernameToken(soap_header);
  if (!token) return MakeUnexpected(Failure(ctx, security, "?", "malformed UsernameToken"));
  std::optional<Principal> ws_principal;
  if (*token) {
    const security::UsernameToken& t = **token;
    auto user = security.FindUser(t.username);
    // Verify even for an unknown user, against an empty password, so the
    // token is remembered for replay and timing does not reveal user names.
    // Created is compared with the device's clock, the one
    // GetSystemDateAndTime reports and clients align their tokens to.
    auto check =
        security.tokens().Verify(t, user ? user->password : std::string(), ctx.device.clock->Now());
    if (check == security::TokenCheck::kBadCredentials) {
      // The same work for an unknown user, so timing tells nothing.
      const UserAccount candidate = user ? *user : UserAccount{t.username, "", {}, false};
      if (security::TokenPasswordMatches(t, DerivedPasswordOf(candidate, security)) && user) {
        check = security::TokenCheck::kOk;
      }
    }
    if (!user || check != security::TokenCheck::kOk) {
      const char* why = check == security::TokenCheck::kStale
                            ? "UsernameToken outside the time window"
                        : check == security::TokenCheck::kReplay ? "replayed UsernameToken"
                                                                 : "UsernameToken";
      return MakeUnexpected(Failure(ctx, security, t.username, why));
    }
    ws_principal = Principal{user->username, user->level};
  }

  if (!http_principal && !ws_principal) {
    // No credentials at all: the normal first step of HTTP Digest.
    AuthRejection r = Challenge(security, false, "Sender not authorized");
    r.no_credentials = true;
    return MakeUnexpected(std::move(r));
  }
  limiter_.RecordSuccess(ctx.remote_address);
  // Credentials on both layers: both were checked; the HTTP one decides.
  return http_principal ? *http_principal : *ws_principal;
}

}  // namespace onvifgw::services

// RequestAuthenticator against a device's real users (DeviceSecurity on a
// state store): HTTP Digest (both algorithms, stale nonces, the wrong URI),
// Basic only when allowed, WS-UsernameToken (digest and text, replay, old
// Created), the derived password of peers using UseDerivedPassword, no
// credentials as the first step of Digest, both layers together, and the
// brute-force limiter's delay and lockout.

#include "services/authentication.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "core/base64.h"
#include "security/crypto_util.h"
#include "security/password_derivation.h"
#include "security/username_token.h"
#include "soap/envelope.h"

namespace onvifgw::services {
namespace {

using security::UserLevel;

const config::AdminConfig kAdmin{"admin", "Admin-Passw0rd"};

class AuthenticationTest : public ::testing::Test {
 protected:
  void SetUp() override { Open({}); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Open(DeviceSecurity::Options options) {
    security_.reset();
    auto store = store::StateStore::Open(dir_.string());
    ASSERT_TRUE(store.has_value()) << store.error();
    store_ = std::move(store).value();
    auto sec = DeviceSecurity::Load("front", "urn:uuid:5f3c7a10-0000-4000-8000-000000000001",
                                    *store_, box_, options, kAdmin);
    ASSERT_TRUE(sec.has_value()) << sec.error();
    security_ = std::move(sec).value();
    ASSERT_TRUE(security_
                    ->ChangeUsers([](std::vector<UserAccount>& users) -> Status<soap::Fault> {
                      if (users.size() == 1) {  // a reopened store has the viewer already
                        users.push_back({"viewer", "Viewer-Passw0rd", UserLevel::kUser, false});
                      }
                      return {};
                    })
                    .ok());
    device_.config.id = "front";
    device_.security = security_.get();
  }

  RequestContext Context(std::string authorization = "", std::string remote = "192.0.2.7") {
    return RequestContext{device_,
                          "http",
                          "192.0.2.10:80",
                          "192.0.2.10",
                          "/onvif/device_service",
                          std::move(authorization),
                          "POST",
                          std::move(remote),
                          std::nullopt};
  }

  // A Digest Authorization header answering the device's first challenge.
  std::string Digest(const std::string& user, const std::string& password,
                     security::DigestAlgorithm algorithm = security::DigestAlgorithm::kMd5,
                     const std::string& uri = "/onvif/device_service",
                     const std::string& nc = "00000001") {
    std::smatch m;
    const std::string challenge = security_->digest().Challenges(false).front();
    EXPECT_TRUE(std::regex_search(challenge, m, std::regex("nonce=\"([^\"]+)\"")));
    const std::string nonce = m[1];
    const std::string response = security::ComputeDigestResponse(
        algorithm, user, "front", password, "POST", uri, nonce, nc, "c0ffee", "auth");
    return "Digest username=\"" + user + "\", realm=\"front\", nonce=\"" + nonce + "\", uri=\"" +
           uri + "\", algorithm=" + std::string(security::DigestAlgorithmName(algorithm)) +
           ", qop=auth, nc=" + nc + ", cnonce=\"c0ffee\", response=\"" + response + "\"";
  }

  // An envelope whose header carries a UsernameToken (PasswordDigest, or text).
  soap::SoapRequest Token(
      const std::string& user, const std::string& password, bool text = false,
      std::chrono::system_clock::time_point created = std::chrono::system_clock::now(),
      std::string nonce = security::RandomBytes(16)) {
    const std::time_t t = std::chrono::system_clock::to_time_t(created);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    const std::string pw = text ? password : security::ComputePasswordDigest(nonce, when, password);
    const std::string type = text ? "PasswordText" : "PasswordDigest";
    const std::string xml =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header>"
        "<Security xmlns=\"http://docs.oasis-open.org/wss/2004/01/"
        "oasis-200401-wss-wssecurity-secext-1.0.xsd\"><UsernameToken><Username>" +
        user +
        "</Username><Password Type=\"http://docs.oasis-open.org/wss/2004/01/"
        "oasis-200401-wss-username-token-profile-1.0#" +
        type + "\">" + pw + "</Password><Nonce>" + Base64Encode(nonce) +
        "</Nonce><Created xmlns=\"http://docs.oasis-open.org/wss/2004/01/"
        "oasis-200401-wss-wssecurity-utility-1.0.xsd\">" +
        when +
        "</Created></UsernameToken></Security></s:Header><s:Body><GetUsers "
        "xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/></s:Body></s:Envelope>";
    auto parsed = soap::ParseEnvelope(xml, soap::XmlLimits{});
    EXPECT_TRUE(parsed.has_value());
    return std::move(parsed).value();
  }

  Expected<Principal, AuthRejection> Authenticate(const RequestContext& ctx,
                                                  const xmlNode* header = nullptr) {
    return authenticator_.Authenticate(ctx, header, *security_);
  }

  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("onvifgw-auth-" + std::to_string(::getpid()));
  security::SecretBox box_ = std::move(security::SecretBox::FromKey(std::string(32, 'k'))).value();
  std::unique_ptr<store::StateStore> store_;
  std::unique_ptr<DeviceSecurity> security_;
  VirtualDevice device_;
  RequestAuthenticator authenticator_{security::FailureLimiter::Options{}};
};

TEST_F(AuthenticationTest, NoCredentialsIsTheFirstStepOfDigestNotAFailure) {
  auto r = Authenticate(Context());
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().no_credentials);
  EXPECT_EQ(r.error().http_status, 401);
  EXPECT_EQ(r.error().delay.count(), 0);
  ASSERT_EQ(r.error().headers.size(), 2u);  // MD5 first, then SHA-256
  EXPECT_NE(r.error().headers[0].second.find("algorithm=MD5"), std::string::npos);
  EXPECT_NE(r.error().headers[1].second.find("algorithm=SHA-256"), std::string::npos);
  EXPECT_EQ(r.error().fault.subcodes, (std::vector<std::string>{"NotAuthorized"}));
}

TEST_F(AuthenticationTest, HttpDigestWithEitherAlgorithm) {
  auto md5 = Authenticate(Context(Digest("viewer", "Viewer-Passw0rd")));
  ASSERT_TRUE(md5.has_value());
  EXPECT_EQ(md5->username, "viewer");
  EXPECT_EQ(md5->level, UserLevel::kUser);
  auto sha =
      Authenticate(Context(Digest("admin", "Admin-Passw0rd", security::DigestAlgorithm::kSha256)));
  ASSERT_TRUE(sha.has_value());
  EXPECT_EQ(sha->level, UserLevel::kAdministrator);

  for (const std::string& bad :
       {Digest("viewer", "wrong"), Digest("nobody", "Viewer-Passw0rd"),
        Digest("viewer", "Viewer-Passw0rd", security::DigestAlgorithm::kMd5, "/onvif/other")}) {
    auto r = Authenticate(Context(bad));
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_FALSE(r.error().no_credentials);
    EXPECT_EQ(r.error().http_status, 401);
  }
  // A nonce the device never issued: a fresh (stale=true) challenge.
  std::string forged = Digest("viewer", "Viewer-Passw0rd");
  forged = std::regex_replace(forged, std::regex("nonce=\"[^\"]+\""), "nonce=\"AAAAAAAAAAAA\"");
  auto stale = Authenticate(Context(forged));
  ASSERT_FALSE(stale.has_value());
  EXPECT_NE(stale.error().headers[0].second.find("stale=true"), std::string::npos);
}

TEST_F(AuthenticationTest, BasicOnlyWhenTheDeviceAllowsIt) {
  const std::string basic = "Basic " + Base64Encode("viewer:Viewer-Passw0rd");
  // Not allowed: ignored, as if no header had been sent.
  auto ignored = Authenticate(Context(basic));
  ASSERT_FALSE(ignored.has_value());
  EXPECT_TRUE(ignored.error().no_credentials);

  DeviceSecurity::Options allow;
  allow.allow_basic = true;
  Open(allow);
  auto ok = Authenticate(Context(basic));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->username, "viewer");
  EXPECT_FALSE(Authenticate(Context("Basic " + Base64Encode("viewer:nope"))).has_value());
}

TEST_F(AuthenticationTest, UsernameTokensDigestAndTextOnceEachAndFresh) {
  auto digest = Token("viewer", "Viewer-Passw0rd");
  auto r = Authenticate(Context(), digest.header);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->username, "viewer");
  // The same token again: a replay.
  EXPECT_FALSE(Authenticate(Context(), digest.header).has_value());
  auto text = Token("admin", "Admin-Passw0rd", true);
  EXPECT_TRUE(Authenticate(Context(), text.header).has_value());
  // Wrong password, unknown user, Created outside the window: refused.
  auto wrong = Token("viewer", "nope");
  EXPECT_FALSE(Authenticate(Context(), wrong.header).has_value());
  auto unknown = Token("ghost", "Viewer-Passw0rd");
  EXPECT_FALSE(Authenticate(Context(), unknown.header).has_value());
  auto old = Token("viewer", "Viewer-Passw0rd", false,
                   std::chrono::system_clock::now() - std::chrono::minutes(30));
  EXPECT_FALSE(Authenticate(Context(), old.header).has_value());
}

TEST_F(AuthenticationTest, APeerUsingTheDerivedPasswordIsAccepted) {
  const std::string derived = security::DerivePassword(
      "viewer", "Viewer-Passw0rd", "urn:uuid:5f3c7a10-0000-4000-8000-000000000001");
  auto token = Token("viewer", derived);
  EXPECT_TRUE(Authenticate(Context(), token.header).has_value());
  EXPECT_TRUE(Authenticate(Context(Digest("viewer", derived))).has_value());
}

TEST_F(AuthenticationTest, BothLayersMustVerifyAndHttpDecides) {
  auto token = Token("viewer", "Viewer-Passw0rd");
  auto both = Authenticate(Context(Digest("admin", "Admin-Passw0rd")), token.header);
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->username, "admin");
  auto bad_token = Token("viewer", "nope");
  EXPECT_FALSE(
      Authenticate(Context(Digest("admin", "Admin-Passw0rd")), bad_token.header).has_value());
}

TEST_F(AuthenticationTest, RepeatedFailuresAreDelayedThenLockedOutPerAddress) {
  security::FailureLimiter::Options limits;
  limits.delay_after = 2;
  limits.lockout_after = 4;
  RequestAuthenticator strict(limits);
  auto fail = [&](const std::string& from) {
    return strict.Authenticate(Context(Digest("viewer", "nope"), from), nullptr, *security_);
  };
  EXPECT_EQ(fail("192.0.2.66").error().delay.count(), 0);
  EXPECT_GT(fail("192.0.2.66").error().delay.count(), 0);  // the second: delays start
  fail("192.0.2.66");
  fail("192.0.2.66");
  // Locked out: even the right password is refused from that address...
  auto locked = strict.Authenticate(Context(Digest("viewer", "Viewer-Passw0rd"), "192.0.2.66"),
                                    nullptr, *security_);
  EXPECT_FALSE(locked.has_value());
  // ...but not from another one.
  EXPECT_TRUE(strict
                  .Authenticate(Context(Digest("viewer", "Viewer-Passw0rd"), "192.0.2.67"), nullptr,
                                *security_)
                  .has_value());
}

}  // namespace
}  // namespace onvifgw::services

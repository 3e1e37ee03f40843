#include "security/username_token.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/base64.h"
#include "security/date_time.h"
#include "soap/namespaces.h"
#include "soap/xml_document.h"

namespace onvifgw::security {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

constexpr const char* kWsseNs =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
constexpr const char* kWsuNs =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
constexpr const char* kDigestType =
    "http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-username-token-profile-1.0#PasswordDigest";

// Parses an envelope and returns the token from its Header.
Expected<std::optional<UsernameToken>, std::string> FromEnvelope(const std::string& xml) {
  auto doc = soap::ParseXmlDocument(xml, {});
  if (!doc) return MakeUnexpected("xml: " + doc.error().message);
  xmlNode* root = xmlDocGetRootElement(doc->get());
  xmlNode* header = nullptr;
  for (xmlNode* c = soap::FirstElementChild(root); c; c = soap::NextElementSibling(c)) {
    if (soap::LocalName(c) == "Header") header = c;
  }
  return ParseUsernameToken(header);
}

std::string Envelope(const std::string& header_content) {
  return std::string("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">") +
         "<s:Header>" + header_content + "</s:Header><s:Body/></s:Envelope>";
}

// The ONVIF example token (FACTS §2.3).
const char* const kNonce = "LKqI6G/AikKCQrN0zqZFlg==";
const char* const kCreated = "2010-09-16T07:50:45Z";
const char* const kDigest = "tuOSpGlFlIXsozq4HFNeeGeFLEI=";

std::string PrefixedToken(const std::string& security_attrs = "", const std::string& extra = "") {
  return std::string("<wsse:Security xmlns:wsse=\"") + kWsseNs + "\" xmlns:wsu=\"" + kWsuNs +
         "\" " + security_attrs + ">" + extra +
         "<wsse:UsernameToken><wsse:Username>admin</wsse:Username>"
         "<wsse:Password Type=\"" +
         kDigestType + "\">" + kDigest + "</wsse:Password><wsse:Nonce EncodingType=\"" +
         "http://docs.oasis-open.org/wss/2004/01/"
         "oasis-200401-wss-soap-message-security-1.0#Base64Binary\">" +
         kNonce + "</wsse:Nonce><wsu:Created>" + kCreated +
         "</wsu:Created></wsse:UsernameToken></wsse:Security>";
}

void ExpectExampleToken(const Expected<std::optional<UsernameToken>, std::string>& r) {
  ASSERT_TRUE(r) << r.error();
  ASSERT_TRUE(r->has_value());
  const UsernameToken& t = **r;
  EXPECT_EQ(t.username, "admin");
  EXPECT_EQ(t.password, kDigest);
  EXPECT_EQ(t.type, UsernameToken::PasswordType::kDigest);
  EXPECT_EQ(t.nonce_base64, kNonce);
  EXPECT_EQ(t.created, kCreated);
}

TEST(PasswordDigest, OnvifKnownAnswer) {
  EXPECT_EQ(ComputePasswordDigest(*Base64Decode(kNonce), kCreated, "userpassword"), kDigest);
}

TEST(ParseUsernameToken, PrefixedWsse) {
  ExpectExampleToken(FromEnvelope(Envelope(PrefixedToken())));
}

TEST(ParseUsernameToken, MustUnderstandAndTimestampSiblingTolerated) {
  ExpectExampleToken(FromEnvelope(Envelope(
      PrefixedToken("s:mustUnderstand=\"1\"",
                    "<wsu:Timestamp wsu:Id=\"TS-1\"><wsu:Created>2010-09-16T07:50:45Z</wsu:Created>"
                    "<wsu:Expires>2010-09-16T07:55:45Z</wsu:Expires></wsu:Timestamp>"))));
  ExpectExampleToken(FromEnvelope(Envelope(PrefixedToken("s:mustUnderstand=\"true\""))));
}

// UniFi Protect / agsh: default-namespace Security, unprefixed children,
// Created in its own default namespace.
TEST(ParseUsernameToken, DefaultNamespaceUnprefixedChildren) {
  ExpectExampleToken(FromEnvelope(
      Envelope(std::string("<Security s:mustUnderstand=\"1\" xmlns=\"") + kWsseNs +
               "\"><UsernameToken><Username>admin</Username><Password Type=\"" + kDigestType +
               "\">" + kDigest + "</Password><Nonce>" + kNonce + "</Nonce><Created xmlns=\"" +
               kWsuNs + "\">" + kCreated + "</Created></UsernameToken></Security>")));
}

// Children in no namespace at all (lenient).
TEST(ParseUsernameToken, ChildrenInNoNamespace) {
  ExpectExampleToken(FromEnvelope(Envelope(
      std::string("<wsse:Security xmlns:wsse=\"") + kWsseNs +
      "\"><wsse:UsernameToken><Username xmlns=\"\">admin</Username><Password xmlns=\"\" Type=\"" +
      kDigestType + "\">" + kDigest + "</Password><Nonce xmlns=\"\">" + kNonce +
      "</Nonce><Created xmlns=\"\">" + kCreated +
      "</Created></wsse:UsernameToken></wsse:Security>")));
}

// Genetec: default-namespace Security, wsse:-prefixed children.
TEST(ParseUsernameToken, GenetecMixedPrefixes) {
  ExpectExampleToken(FromEnvelope(Envelope(
      std::string("<Security s:mustUnderstand=\"1\" xmlns=\"") + kWsseNs +
      "\"><wsse:UsernameToken wsu:Id=\"x\" xmlns:wsse=\"" + kWsseNs + "\" xmlns:wsu=\"" + kWsuNs +
      "\"><wsse:Username>admin</wsse:Username><wsse:Password Type=\"" + kDigestType + "\">" +
      kDigest + "</wsse:Password><wsse:Nonce>" + kNonce + "</wsse:Nonce><wsu:Created>" + kCreated +
      "</wsu:Created></wsse:UsernameToken></Security>")));
}

TEST(ParseUsernameToken, Secext11NamespaceAndWhitespace) {
  ExpectExampleToken(FromEnvelope(Envelope(
      std::string("<o:Security xmlns:o=\"") + std::string(kWsse11) + "\" xmlns:u=\"" + kWsuNs +
      "\">\n  <o:UsernameToken>\n    <o:Username> admin </o:Username>\n    <o:Password Type=\"" +
      kDigestType + "\">\n" + kDigest + "\n</o:Password>\n    <o:Nonce>" + kNonce +
      "</o:Nonce>\n    <u:Created>" + kCreated +
      "</u:Created>\n  </o:UsernameToken>\n</o:Security>")));
}

TEST(ParseUsernameToken, NoHeaderNoSecurityNoToken) {
  auto none = ParseUsernameToken(nullptr);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());

  auto other = FromEnvelope(
      Envelope("<a:Action xmlns:a=\"http://www.w3.org/2005/08/addressing\">x</a:Action>"));
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_value());

  auto empty_security =
      FromEnvelope(Envelope(std::string("<wsse:Security xmlns:wsse=\"") + kWsseNs + "\"/>"));
  ASSERT_TRUE(empty_security);
  EXPECT_FALSE(empty_security->has_value());

  // Security in a foreign namespace is not ours.
  auto foreign = FromEnvelope(
      Envelope("<Security xmlns=\"urn:other\"><UsernameToken><Username>a</Username></UsernameToken>"
               "</Security>"));
  ASSERT_TRUE(foreign);
  EXPECT_FALSE(foreign->has_value());
}

TEST(ParseUsernameToken, PasswordTextAndAbsentType) {
  const std::string sec = std::string("<wsse:Security xmlns:wsse=\"") + kWsseNs + "\">";
  auto text = FromEnvelope(
      Envelope(sec + "<wsse:UsernameToken><wsse:Username>u</wsse:Username><wsse:Password Type=\"" +
               std::string(kPasswordTextUri) +
               "\"> sp ace </wsse:Password></wsse:UsernameToken></wsse:Security>"));
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ((*text)->type, UsernameToken::PasswordType::kText);
  EXPECT_EQ((*text)->password, " sp ace ");  // clear text is taken as sent

  auto absent = FromEnvelope(
      Envelope(sec + "<wsse:UsernameToken><wsse:Username>u</wsse:Username><wsse:Password>pw"
                     "</wsse:Password></wsse:UsernameToken></wsse:Security>"));
  ASSERT_TRUE(absent) << absent.error();
  EXPECT_EQ((*absent)->type, UsernameToken::PasswordType::kText);
  EXPECT_EQ((*absent)->password, "pw");
}

TEST(ParseUsernameToken, MalformedTokensAreErrors) {
  const std::string sec = std::string("<wsse:Security xmlns:wsse=\"") + kWsseNs +
                          "\" xmlns:wsu=\"" + kWsuNs + "\"><wsse:UsernameToken>";
  const std::string end = "</wsse:UsernameToken></wsse:Security>";
  const std::string pw =
      std::string("<wsse:Password Type=\"") + kDigestType + "\">" + kDigest + "</wsse:Password>";
  const std::string user = "<wsse:Username>admin</wsse:Username>";
  const std::string nonce = std::string("<wsse:Nonce>") + kNonce + "</wsse:Nonce>";
  const std::string created = std::string("<wsu:Created>") + kCreated + "</wsu:Created>";
  const std::pair<const char*, std::string> cases[] = {
      {"no Username", pw + nonce + created},
      {"empty Username", "<wsse:Username> </wsse:Username>" + pw + nonce + created},
      {"no Password", user + nonce + created},
      {"unknown type",
       user + "<wsse:Password Type=\"urn:x#PasswordHash\">x</wsse:Password>" + nonce + created},
      {"bad nonce", user + pw + "<wsse:Nonce>not*base64</wsse:Nonce>" + created},
      {"hex nonce",
       user + pw + "<wsse:Nonce EncodingType=\"urn:x#HexBinary\">00ff</wsse:Nonce>" + created},
      {"digest without Nonce", user + pw + created},
      {"digest without Created", user + pw + nonce},
      {"duplicate Username", user + user + pw + nonce + created},
      {"too long",
       "<wsse:Username>" + std::string(2000, 'a') + "</wsse:Username>" + pw + nonce + created},
  };
  for (const auto& [name, body] : cases) {
    auto r = FromEnvelope(Envelope(sec + body + end));
    EXPECT_FALSE(r) << name;
    if (!r) {
      EXPECT_EQ(r.error().find(kDigest), std::string::npos) << "error leaks the digest";
    }
  }
  // Two tokens are ambiguous.
  auto two = FromEnvelope(Envelope(PrefixedToken() + PrefixedToken()));
  EXPECT_FALSE(two);
}

// Every real client trace with a UsernameToken parses to a digest token.
TEST(ParseUsernameToken, RealClientTraces) {
  const std::filesystem::path dir = std::filesystem::path(ONVIFGW_SHARED_ONVIF) / "traces";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " absent";
  int parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".xml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string xml = ss.str();
    auto r = FromEnvelope(xml);
    ASSERT_TRUE(r) << entry.path() << ": " << r.error();
    const bool has_token = xml.find("UsernameToken") != std::string::npos;
    EXPECT_EQ(r->has_value(), has_token) << entry.path();
    if (!r->has_value()) continue;
    const UsernameToken& t = **r;
    EXPECT_FALSE(t.username.empty()) << entry.path();
    EXPECT_EQ(t.type, UsernameToken::PasswordType::kDigest) << entry.path();
    EXPECT_TRUE(Base64Decode(t.nonce_base64)) << entry.path();
    EXPECT_TRUE(Base64Decode(t.password)) << entry.path();
    // Created parses: a fresh verifier at that instant says "wrong password",
    // not "malformed" or "stale".
    const auto created = ParseXsDateTime(t.created);
    ASSERT_TRUE(created) << entry.path();
    UsernameTokenVerifier v;
    EXPECT_EQ(v.Verify(t, "guess", *created), TokenCheck::kBadCredentials) << entry.path();
    ++parsed;
  }
  EXPECT_GE(parsed, 10);
}

// ---------------------------------------------------------------- verifier

UsernameToken ExampleToken() {
  return {"admin", kDigest, UsernameToken::PasswordType::kDigest, kNonce, kCreated};
}

Clock::time_point ExampleTime() { return *ParseXsDateTime(kCreated); }

TEST(UsernameTokenVerifier, AcceptsDigestOnceThenReplay) {
  UsernameTokenVerifier v;
  EXPECT_EQ(v.Verify(ExampleToken(), "userpassword", ExampleTime() + seconds(3)), TokenCheck::kOk);
  EXPECT_EQ(v.Verify(ExampleToken(), "userpassword", ExampleTime() + seconds(4)),
            TokenCheck::kReplay);
}

TEST(UsernameTokenVerifier, WrongPasswordIsRememberedToo) {
  UsernameTokenVerifier v;
  EXPECT_EQ(v.Verify(ExampleToken(), "other", ExampleTime()), TokenCheck::kBadCredentials);
  EXPECT_EQ(v.Verify(ExampleToken(), "userpassword", ExampleTime()), TokenCheck::kReplay);
}

TEST(UsernameTokenVerifier, FreshnessWindowBothSides) {
  UsernameTokenVerifier v(UsernameTokenVerifier::Options{seconds(300)});
  UsernameToken t = ExampleToken();
  EXPECT_EQ(v.Verify(t, "userpassword", ExampleTime() + seconds(301)), TokenCheck::kStale);
  UsernameTokenVerifier v2;
  EXPECT_EQ(v2.Verify(t, "userpassword", ExampleTime() - seconds(301)), TokenCheck::kStale);
  UsernameTokenVerifier v3;
  EXPECT_EQ(v3.Verify(t, "userpassword", ExampleTime() + seconds(300)), TokenCheck::kOk);
  UsernameTokenVerifier v4;
  EXPECT_EQ(v4.Verify(t, "userpassword", ExampleTime() - seconds(300)), TokenCheck::kOk);
}

TEST(UsernameTokenVerifier, FutureTokenCannotBeReplayedOnceFresh) {
  UsernameTokenVerifier v;
  EXPECT_EQ(v.Verify(ExampleToken(), "userpassword", ExampleTime() - seconds(400)),
            TokenCheck::kStale);
  EXPECT_EQ(v.Verify(ExampleToken(), "userpassword", ExampleTime()), TokenCheck::kReplay);
}

TEST(UsernameTokenVerifier, OffsetAndFractionalCreated) {
  UsernameTokenVerifier v;
  UsernameToken t = ExampleToken();
  t.created = "2010-09-16T09:50:45.5+02:00";
  t.password = ComputePasswordDigest(*Base64Decode(kNonce), t.created, "pw");
  EXPECT_EQ(v.Verify(t, "pw", ExampleTime()), TokenCheck::kOk);
}

TEST(UsernameTokenVerifier, PasswordText) {
  UsernameTokenVerifier v;
  UsernameToken t{"u", "secret", UsernameToken::PasswordType::kText, kNonce, kCreated};
  EXPECT_EQ(v.Verify(t, "secret", ExampleTime()), TokenCheck::kOk);
  t.nonce_base64 = "AAAAAAAAAAAAAAAAAAAAAA==";
  EXPECT_EQ(v.Verify(t, "secret2", ExampleTime()), TokenCheck::kBadCredentials);
  t.nonce_base64 = "AQAAAAAAAAAAAAAAAAAAAA==";
  EXPECT_EQ(v.Verify(t, "secre", ExampleTime()), TokenCheck::kBadCredentials);
}

TEST(UsernameTokenVerifier, Malformed) {
  UsernameTokenVerifier v;
  UsernameToken t = ExampleToken();
  t.created = "yesterday";
  EXPECT_EQ(v.Verify(t, "userpassword", ExampleTime()), TokenCheck::kMalformed);
  t = ExampleToken();
  t.nonce_base64.clear();
  EXPECT_EQ(v.Verify(t, "userpassword", ExampleTime()), TokenCheck::kMalformed);
  t = ExampleToken();
  t.created.clear();
  EXPECT_EQ(v.Verify(t, "userpassword", ExampleTime()), TokenCheck::kMalformed);
  t = ExampleToken();
  t.nonce_base64 = "%%%";
  EXPECT_EQ(v.Verify(t, "userpassword", ExampleTime()), TokenCheck::kMalformed);
}

TEST(UsernameTokenVerifier, ReplayKeyIncludesUserNonceAndCreated) {
  UsernameTokenVerifier v;
  UsernameToken t = ExampleToken();
  EXPECT_EQ(v.Verify(t, "userpassword", ExampleTime()), TokenCheck::kOk);
  t.username = "other";  // same nonce/created, other user: not a replay
  t.password = kDigest;
  EXPECT_EQ(v.Verify(t, "userpassword", ExampleTime()), TokenCheck::kOk);
  EXPECT_EQ(v.remembered(ExampleTime()), 2u);
}

TEST(UsernameTokenVerifier, CacheBoundedAndExpiring) {
  UsernameTokenVerifier v(UsernameTokenVerifier::Options{seconds(300), 8});
  const auto now = ExampleTime();
  auto token = [](int i, const char* created) {
    UsernameToken t = ExampleToken();
    t.nonce_base64 = Base64Encode("nonce-" + std::to_string(i));
    t.created = created;
    return t;
  };
  // Eight tokens fill the cache.
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(v.Verify(token(i, "2010-09-16T07:50:45Z"), "x", now), TokenCheck::kBadCredentials);
  }
  // A ninth, created a second later, evicts the oldest...
  EXPECT_EQ(v.Verify(token(8, "2010-09-16T07:50:46Z"), "x", now), TokenCheck::kBadCredentials);
  EXPECT_LE(v.remembered(now), 8u);
  // ...which can then not be replayed: tokens created at or before an
  // evicted one are refused as stale.
  EXPECT_EQ(v.Verify(token(0, "2010-09-16T07:50:45Z"), "x", now), TokenCheck::kStale);
  EXPECT_EQ(v.Verify(token(99, "2010-09-16T07:50:45Z"), "x", now), TokenCheck::kStale);
  // Newer ones are still remembered and still accepted for the first time.
  EXPECT_EQ(v.Verify(token(8, "2010-09-16T07:50:46Z"), "x", now), TokenCheck::kReplay);
  EXPECT_EQ(v.Verify(token(9, "2010-09-16T07:50:47Z"), "x", now), TokenCheck::kBadCredentials);
  // Entries whose Created + window has passed are dropped.
  v.Verify(token(100, "2010-09-16T08:00:00Z"), "x", now + seconds(600));
  EXPECT_EQ(v.remembered(now + seconds(600)), 1u);
}

TEST(UsernameTokenVerifier, AlternativePasswordCheckedWithoutTheReplayCache) {
  UsernameTokenVerifier v;
  EXPECT_EQ(v.Verify(ExampleToken(), "other", ExampleTime()), TokenCheck::kBadCredentials);
  EXPECT_TRUE(TokenPasswordMatches(ExampleToken(), "userpassword"));
  EXPECT_FALSE(TokenPasswordMatches(ExampleToken(), "other"));
  UsernameToken text{"u", "secret", UsernameToken::PasswordType::kText, kNonce, kCreated};
  EXPECT_TRUE(TokenPasswordMatches(text, "secret"));
  EXPECT_FALSE(TokenPasswordMatches(text, "secret2"));
  EXPECT_EQ(v.remembered(ExampleTime()), 1u);
}

TEST(UsernameTokenVerifier, ConcurrentVerifiesSeeEachTokenOnce) {
  UsernameTokenVerifier v;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        if (v.Verify(ExampleToken(), "userpassword", ExampleTime()) == TokenCheck::kOk) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
}

}  // namespace
}  // namespace onvifgw::security

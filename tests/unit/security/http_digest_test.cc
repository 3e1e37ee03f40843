#include "security/http_digest.h"

#include <gtest/gtest.h>

#include "core/base64.h"

namespace onvifgw::security {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

// RFC 7616 §3.9.1.
constexpr const char* kRfcNonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr const char* kRfcCnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

TEST(DigestResponse, Rfc7616Md5) {
  EXPECT_EQ(ComputeDigestResponse(DigestAlgorithm::kMd5, "Mufasa", "http-auth@example.org",
                                  "Circle of Life", "GET", "/dir/index.html", kRfcNonce, "00000001",
                                  kRfcCnonce, "auth"),
            "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(DigestResponse, Rfc7616Sha256) {
  EXPECT_EQ(ComputeDigestResponse(DigestAlgorithm::kSha256, "Mufasa", "http-auth@example.org",
                                  "Circle of Life", "GET", "/dir/index.html", kRfcNonce, "00000001",
                                  kRfcCnonce, "auth"),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(DigestResponse, Rfc2617Md5) {
  // RFC 2617 §3.5 example.
  EXPECT_EQ(
      ComputeDigestResponse(DigestAlgorithm::kMd5, "Mufasa", "testrealm@host.com", "Circle Of Life",
                            "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                            "00000001", "0a4f113b", "auth"),
      "6629fae49393a05397450978507c4ef1");
}

TEST(DigestResponse, SessDiffersFromPlain) {
  const auto plain = ComputeDigestResponse(DigestAlgorithm::kMd5, "u", "r", "p", "POST", "/", "n",
                                           "00000001", "c", "auth");
  const auto sess = ComputeDigestResponse(DigestAlgorithm::kMd5Sess, "u", "r", "p", "POST", "/",
                                          "n", "00000001", "c", "auth");
  EXPECT_NE(plain, sess);
  EXPECT_EQ(sess.size(), 32u);
}

// ------------------------------------------------------------------ parsing

TEST(AuthorizationHeader, ParsesRfcDigestExample) {
  auto h = ParseAuthorizationHeader(
      "Digest username=\"Mufasa\",\r\n"
      "       realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=SHA-256,"
      " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001,"
      " cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth,"
      " response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\","
      " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  // CR/LF is a control character: folded headers are not accepted.
  EXPECT_FALSE(h);
  auto ok = ParseAuthorizationHeader(
      "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
      "algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, "
      "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, "
      "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", "
      "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ(ok->scheme, AuthScheme::kDigest);
  const DigestParams& d = ok->digest;
  EXPECT_EQ(d.username, "Mufasa");
  EXPECT_EQ(d.realm, "http-auth@example.org");
  EXPECT_EQ(d.uri, "/dir/index.html");
  EXPECT_EQ(d.algorithm, "SHA-256");
  EXPECT_EQ(d.nonce, kRfcNonce);
  EXPECT_EQ(d.nc, "00000001");
  EXPECT_EQ(d.cnonce, kRfcCnonce);
  EXPECT_EQ(d.qop, "auth");
  EXPECT_EQ(d.opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
}

TEST(AuthorizationHeader, TolerantSyntax) {
  auto h = ParseAuthorizationHeader(
      "  dIgEsT  USERNAME = \"a\\\"b\\\\c\" ,, Realm=r , ,nonce=\"n,=x\",uri=/a?b=c ,  ");
  ASSERT_TRUE(h) << h.error();
  EXPECT_EQ(h->scheme, AuthScheme::kDigest);
  EXPECT_EQ(h->digest.username, "a\"b\\c");
  EXPECT_EQ(h->digest.realm, "r");
  EXPECT_EQ(h->digest.nonce, "n,=x");
  EXPECT_EQ(h->digest.uri, "/a?b=c");
  auto userhash = ParseAuthorizationHeader("Digest userhash=TRUE, username*=UTF-8''x");
  ASSERT_TRUE(userhash);
  EXPECT_TRUE(userhash->digest.userhash);
  EXPECT_TRUE(userhash->digest.has_username_star);
  auto empty = ParseAuthorizationHeader("Digest");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->scheme, AuthScheme::kDigest);
}

TEST(AuthorizationHeader, Refusals) {
  for (const char* bad :
       {"", "   ", "Digest username=\"a\", username=\"b\"", "Digest username=\"a\", USERNAME=b",
        "Digest username=\"unterminated", "Digest username", "Digest username=", "Digest =x",
        "Digest a=b c=d", "Digest a=\"x\"y", "Digest a=\"\x01\"", "Digest dGVzdA==",
        "Digest\x01 a=b", "Basic", "Basic !!!!", "Basic dXNlcg==", "Basic dXNlcjpwYXNz extra"}) {
    EXPECT_FALSE(ParseAuthorizationHeader(bad)) << bad;
  }
  std::string many = "Digest ";
  for (int i = 0; i < 40; ++i) {
    // Appended piecewise: GCC 12's -O3 flags `"p" + std::to_string(i)` with
    // a bogus -Wrestrict (GCC bug 105329).
    many += 'p';
    many += std::to_string(i);
    many += "=v,";
  }
  EXPECT_FALSE(ParseAuthorizationHeader(many));
  std::string huge = "Digest username=\"" + std::string(5000, 'a') + "\"";
  EXPECT_FALSE(ParseAuthorizationHeader(huge));
}

TEST(AuthorizationHeader, BasicAndOther) {
  auto b = ParseAuthorizationHeader("Basic " + Base64Encode("admin:pa:ss"));
  ASSERT_TRUE(b) << b.error();
  EXPECT_EQ(b->scheme, AuthScheme::kBasic);
  EXPECT_EQ(b->basic.username, "admin");
  EXPECT_EQ(b->basic.password, "pa:ss");
  auto lower = ParseAuthorizationHeader("basic " + Base64Encode("u:") + "  ");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->basic.password, "");
  auto bearer = ParseAuthorizationHeader("Bearer abc.def.ghi");
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->scheme, AuthScheme::kOther);
  EXPECT_EQ(bearer->scheme_name, "Bearer");
  EXPECT_FALSE(ParseBasic("dXNlcg"));
}

TEST(AuthorizationHeader, ErrorsDoNotLeakBasicPassword) {
  auto r = ParseAuthorizationHeader("Basic " + Base64Encode("nocolonsecret"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().find("nocolonsecret"), std::string::npos);
}

TEST(DigestUri, Matching) {
  EXPECT_TRUE(DigestUriMatches("/onvif/device_service", "/onvif/device_service"));
  EXPECT_TRUE(
      DigestUriMatches("http://10.0.0.1:8080/onvif/device_service", "/onvif/device_service"));
  EXPECT_TRUE(DigestUriMatches("/onvif/device_service", "HTTP://10.0.0.1/onvif/device_service"));
  EXPECT_FALSE(DigestUriMatches("/onvif/media", "/onvif/device_service"));
  EXPECT_FALSE(DigestUriMatches("", "/"));
  EXPECT_FALSE(DigestUriMatches("/a?x=1", "/a?x=2"));
}

TEST(DigestAlgorithmNames, RoundTrip) {
  for (auto a : {DigestAlgorithm::kMd5, DigestAlgorithm::kMd5Sess, DigestAlgorithm::kSha256,
                 DigestAlgorithm::kSha256Sess}) {
    EXPECT_EQ(ParseDigestAlgorithm(DigestAlgorithmName(a)), a);
  }
  EXPECT_EQ(ParseDigestAlgorithm("md5"), DigestAlgorithm::kMd5);
  EXPECT_FALSE(ParseDigestAlgorithm("SHA-512-256"));
}

// ---------------------------------------------------------- authenticator

Clock::time_point T0() { return Clock::time_point(seconds(1'700'000'000)); }

// Extracts `name="value"` or `name=value` from a challenge.
std::string ChallengeParam(const std::string& challenge, const std::string& name) {
  auto h = ParseAuthorizationHeader(challenge);  // same grammar as credentials
  EXPECT_TRUE(h);
  const std::string key = name + "=";
  auto pos = challenge.find(key);
  if (pos == std::string::npos) return "";
  pos += key.size();
  if (challenge[pos] == '"') {
    return challenge.substr(pos + 1, challenge.find('"', pos + 1) - pos - 1);
  }
  return challenge.substr(pos, challenge.find(',', pos) - pos);
}

struct Client {
  DigestParams Answer(const std::string& challenge, DigestAlgorithm a, const std::string& password,
                      const std::string& nc = "00000001") const {
    DigestParams d;
    d.username = "admin";
    d.realm = ChallengeParam(challenge, "realm");
    d.nonce = ChallengeParam(challenge, "nonce");
    d.opaque = ChallengeParam(challenge, "opaque");
    d.algorithm = std::string(DigestAlgorithmName(a));
    d.uri = "/onvif/device_service";
    d.qop = "auth";
    d.nc = nc;
    d.cnonce = "0a4f113b";
    d.response = ComputeDigestResponse(a, d.username, d.realm, password, "POST", d.uri, d.nonce,
                                       d.nc, d.cnonce, d.qop);
    return d;
  }
};

TEST(DigestAuthenticator, ChallengesOnePerAlgorithmMd5First) {
  DigestAuthenticator auth("dev-1", {DigestAlgorithm::kMd5, DigestAlgorithm::kSha256},
                           seconds(300));
  const auto c = auth.Challenges(false, T0());
  ASSERT_EQ(c.size(), 2u);
  EXPECT_TRUE(c[0].starts_with("Digest realm=\"dev-1\", qop=\"auth\", algorithm=MD5, nonce=\""))
      << c[0];
  EXPECT_NE(c[1].find("algorithm=SHA-256,"), std::string::npos) << c[1];
  EXPECT_NE(c[0].find("opaque=\""), std::string::npos);
  EXPECT_EQ(c[0].find("stale"), std::string::npos);
  const auto s = auth.Challenges(true, T0());
  EXPECT_TRUE(s[0].ends_with(", stale=true"));
  // Fresh nonce every time.
  EXPECT_NE(ChallengeParam(c[0], "nonce"), ChallengeParam(s[0], "nonce"));
}

TEST(DigestAuthenticator, RealmIsQuoted) {
  DigestAuthenticator auth("a\"b", {}, seconds(300));
  const auto c = auth.Challenges(false, T0());
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(c[0].starts_with("Digest realm=\"a\\\"b\", qop=\"auth\", algorithm=MD5,"));
}

TEST(DigestAuthenticator, FullFlowMd5AndSha256) {
  DigestAuthenticator auth("dev-1", {DigestAlgorithm::kMd5, DigestAlgorithm::kSha256},
                           seconds(300));
  const auto c = auth.Challenges(false, T0());
  Client client;
  EXPECT_EQ(auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "pw"), "POST", "pw",
                        T0() + seconds(1)),
            DigestCheck::kOk);
  EXPECT_EQ(auth.Verify(client.Answer(c[1], DigestAlgorithm::kSha256, "pw", "00000002"), "POST",
                        "pw", T0() + seconds(2)),
            DigestCheck::kOk);
  // Algorithm absent means MD5.
  DigestParams d = client.Answer(c[0], DigestAlgorithm::kMd5, "pw", "00000003");
  d.algorithm.clear();
  EXPECT_EQ(auth.Verify(d, "POST", "pw", T0() + seconds(2)), DigestCheck::kOk);
  // Upper-case hex response is accepted.
  d = client.Answer(c[0], DigestAlgorithm::kMd5, "pw", "00000004");
  for (char& ch : d.response) ch = static_cast<char>(std::toupper(ch));
  EXPECT_EQ(auth.Verify(d, "POST", "pw", T0() + seconds(2)), DigestCheck::kOk);
}

TEST(DigestAuthenticator, WrongPasswordMethodRealm) {
  DigestAuthenticator auth("dev-1", {}, seconds(300));
  const auto c = auth.Challenges(false, T0());
  Client client;
  EXPECT_EQ(auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "guess"), "POST", "pw", T0()),
            DigestCheck::kBadCredentials);
  EXPECT_EQ(auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "pw"), "GET", "pw", T0()),
            DigestCheck::kBadCredentials);
  DigestParams d = client.Answer(c[0], DigestAlgorithm::kMd5, "pw");
  d.realm = "dev-2";
  EXPECT_EQ(auth.Verify(d, "POST", "pw", T0()), DigestCheck::kBadCredentials);
  // A failed attempt does not burn the nc: the genuine one still works.
  EXPECT_EQ(auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "pw"), "POST", "pw", T0()),
            DigestCheck::kOk);
}

TEST(DigestAuthenticator, Rfc2069OnlyWhereQopIsOptional) {
  DigestAuthenticator auth("dev-1", {}, seconds(300));
  const auto c = auth.Challenges(false, T0());
  DigestParams d = Client().Answer(c[0], DigestAlgorithm::kMd5, "pw");
  d.qop.clear();
  d.nc.clear();
  d.cnonce.clear();
  d.response = ComputeDigestResponse(DigestAlgorithm::kMd5, d.username, d.realm, "pw", "DESCRIBE",
                                     d.uri, d.nonce, "", "", "");
  // SOAP over HTTP: qop=auth is required (FACTS, RFC 7616).
  EXPECT_EQ(auth.Verify(d, "DESCRIBE", "pw", T0()), DigestCheck::kMalformed);
  // RTSP: accepted, repeatedly (no nonce count), while the nonce is fresh.
  EXPECT_EQ(auth.Verify(d, "DESCRIBE", "pw", T0(), DigestQop::kOptional), DigestCheck::kOk);
  EXPECT_EQ(auth.Verify(d, "DESCRIBE", "pw", T0() + seconds(1), DigestQop::kOptional),
            DigestCheck::kOk);
  EXPECT_EQ(auth.Verify(d, "DESCRIBE", "guess", T0(), DigestQop::kOptional),
            DigestCheck::kBadCredentials);
  EXPECT_EQ(auth.Verify(d, "DESCRIBE", "pw", T0() + seconds(301), DigestQop::kOptional),
            DigestCheck::kStale);
  // Half of each: malformed.
  DigestParams half = d;
  half.nc = "00000001";
  EXPECT_EQ(auth.Verify(half, "DESCRIBE", "pw", T0(), DigestQop::kOptional),
            DigestCheck::kMalformed);
  // With qop, the nonce count still counts.
  const DigestParams with_qop = Client().Answer(c[0], DigestAlgorithm::kMd5, "pw");
  EXPECT_EQ(auth.Verify(with_qop, "POST", "pw", T0(), DigestQop::kOptional), DigestCheck::kOk);
  EXPECT_EQ(auth.Verify(with_qop, "POST", "pw", T0(), DigestQop::kOptional), DigestCheck::kReplay);
}

TEST(DigestAuthenticator, NcReplay) {
  DigestAuthenticator auth("dev-1", {}, seconds(300));
  const auto c = auth.Challenges(false, T0());
  Client client;
  const DigestParams first = client.Answer(c[0], DigestAlgorithm::kMd5, "pw", "00000001");
  EXPECT_EQ(auth.Verify(first, "POST", "pw", T0()), DigestCheck::kOk);
  EXPECT_EQ(auth.Verify(first, "POST", "pw", T0()), DigestCheck::kReplay);
  EXPECT_EQ(
      auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "pw", "0000000a"), "POST", "pw", T0()),
      DigestCheck::kOk);
  EXPECT_EQ(
      auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "pw", "00000009"), "POST", "pw", T0()),
      DigestCheck::kReplay);
  EXPECT_EQ(auth.tracked_nonces(), 1u);
}

TEST(DigestAuthenticator, StaleOnlyWithCorrectResponse) {
  DigestAuthenticator auth("dev-1", {}, seconds(300));
  const auto c = auth.Challenges(false, T0());
  Client client;
  EXPECT_EQ(auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "pw"), "POST", "pw",
                        T0() + seconds(301)),
            DigestCheck::kStale);
  EXPECT_EQ(auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "guess"), "POST", "pw",
                        T0() + seconds(301)),
            DigestCheck::kBadCredentials);
  EXPECT_EQ(auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "pw"), "POST", "pw",
                        T0() + seconds(300)),
            DigestCheck::kOk);
}

TEST(DigestAuthenticator, ForgedAndForeignNonces) {
  DigestAuthenticator auth("dev-1", {}, seconds(300));
  DigestAuthenticator other("dev-1", {}, seconds(300));  // another secret
  Client client;
  const auto foreign = other.Challenges(false, T0());
  EXPECT_EQ(auth.Verify(client.Answer(foreign[0], DigestAlgorithm::kMd5, "pw"), "POST", "pw", T0()),
            DigestCheck::kInvalidNonce);

  // Flip one bit of a genuine nonce.
  const auto c = auth.Challenges(false, T0());
  DigestParams d = client.Answer(c[0], DigestAlgorithm::kMd5, "pw");
  std::string raw = *Base64UrlDecode(d.nonce);
  raw[3] ^= 1;  // the timestamp: try to extend its life
  d.nonce = Base64UrlEncode(raw);
  d.response = ComputeDigestResponse(DigestAlgorithm::kMd5, d.username, d.realm, "pw", "POST",
                                     d.uri, d.nonce, d.nc, d.cnonce, d.qop);
  EXPECT_EQ(auth.Verify(d, "POST", "pw", T0()), DigestCheck::kInvalidNonce);

  for (const char* junk : {"x", "", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"}) {
    DigestParams j = client.Answer(c[0], DigestAlgorithm::kMd5, "pw");
    j.nonce = junk;
    const auto r = auth.Verify(j, "POST", "pw", T0());
    EXPECT_TRUE(r == DigestCheck::kInvalidNonce || r == DigestCheck::kMalformed) << junk;
  }

  // A nonce stamped in the future is not one we issued.
  const auto future = auth.Challenges(false, T0() + seconds(3600));
  EXPECT_EQ(auth.Verify(client.Answer(future[0], DigestAlgorithm::kMd5, "pw"), "POST", "pw", T0()),
            DigestCheck::kInvalidNonce);
}

TEST(DigestAuthenticator, MalformedAndUnsupported) {
  DigestAuthenticator auth("dev-1", {DigestAlgorithm::kMd5}, seconds(300));
  const auto c = auth.Challenges(false, T0());
  Client client;
  const DigestParams good = client.Answer(c[0], DigestAlgorithm::kMd5, "pw");
  auto with = [&](auto change) {
    DigestParams d = good;
    change(d);
    return auth.Verify(d, "POST", "pw", T0());
  };
  EXPECT_EQ(with([](DigestParams& d) { d.qop.clear(); }), DigestCheck::kMalformed);  // RFC 2069
  EXPECT_EQ(with([](DigestParams& d) { d.qop = "auth-int"; }), DigestCheck::kMalformed);
  EXPECT_EQ(with([](DigestParams& d) { d.nc = "1"; }), DigestCheck::kMalformed);
  EXPECT_EQ(with([](DigestParams& d) { d.nc = "0000000g"; }), DigestCheck::kMalformed);
  EXPECT_EQ(with([](DigestParams& d) { d.cnonce.clear(); }), DigestCheck::kMalformed);
  EXPECT_EQ(with([](DigestParams& d) { d.uri.clear(); }), DigestCheck::kMalformed);
  EXPECT_EQ(with([](DigestParams& d) { d.username.clear(); }), DigestCheck::kMalformed);
  EXPECT_EQ(with([](DigestParams& d) { d.opaque = "other"; }), DigestCheck::kMalformed);
  EXPECT_EQ(with([](DigestParams& d) { d.algorithm = "SHA-256"; }),
            DigestCheck::kUnsupportedAlgorithm);
  EXPECT_EQ(with([](DigestParams& d) { d.algorithm = "SHA-512"; }),
            DigestCheck::kUnsupportedAlgorithm);
  EXPECT_EQ(with([](DigestParams& d) { d.userhash = true; }), DigestCheck::kUnsupportedAlgorithm);
  // Omitting opaque is tolerated.
  EXPECT_EQ(with([](DigestParams& d) { d.opaque.clear(); }), DigestCheck::kOk);
}

TEST(DigestAuthenticator, SetAlgorithms) {
  DigestAuthenticator auth("dev-1", {DigestAlgorithm::kMd5}, seconds(300));
  auth.SetAlgorithms({DigestAlgorithm::kSha256});
  const auto c = auth.Challenges(false, T0());
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NE(c[0].find("algorithm=SHA-256"), std::string::npos);
  Client client;
  EXPECT_EQ(auth.Verify(client.Answer(c[0], DigestAlgorithm::kMd5, "pw"), "POST", "pw", T0()),
            DigestCheck::kUnsupportedAlgorithm);
  auth.SetAlgorithms({});
  EXPECT_EQ(auth.algorithms(), std::vector<DigestAlgorithm>{DigestAlgorithm::kMd5});
}

TEST(DigestAuthenticator, NcMapBoundedAndEvictedNoncesGoStale) {
  DigestAuthenticator auth("dev-1", {}, seconds(300), /*max_tracked_nonces=*/4);
  Client client;
  std::vector<std::string> challenges;
  for (int i = 0; i < 6; ++i) {
    challenges.push_back(auth.Challenges(false, T0() + seconds(i))[0]);
    EXPECT_EQ(auth.Verify(client.Answer(challenges.back(), DigestAlgorithm::kMd5, "pw"), "POST",
                          "pw", T0() + seconds(10)),
              DigestCheck::kOk);
    EXPECT_LE(auth.tracked_nonces(), 4u);
  }
  // The first two were evicted while valid: a replay of them is not accepted.
  EXPECT_EQ(auth.Verify(client.Answer(challenges[0], DigestAlgorithm::kMd5, "pw"), "POST", "pw",
                        T0() + seconds(10)),
            DigestCheck::kStale);
  // Tracked ones still detect replays.
  EXPECT_EQ(auth.Verify(client.Answer(challenges[5], DigestAlgorithm::kMd5, "pw"), "POST", "pw",
                        T0() + seconds(10)),
            DigestCheck::kReplay);
  // Expired entries are dropped when the nonce lifetime has passed.
  const auto late = auth.Challenges(false, T0() + seconds(1000))[0];
  EXPECT_EQ(auth.Verify(client.Answer(late, DigestAlgorithm::kMd5, "pw"), "POST", "pw",
                        T0() + seconds(1000)),
            DigestCheck::kOk);
  EXPECT_EQ(auth.tracked_nonces(), 1u);
}

}  // namespace
}  // namespace onvifgw::security

// Challenge parsing and the Basic/Digest answers, checked against the RFCs' worked examples.

#include "adapters/sdk/http_auth.h"

#include <gtest/gtest.h>

namespace onvifgw::adapter_sdk {
namespace {

TEST(WwwAuthenticate, ReadsSeveralChallengesInOneValue) {
  auto challenges = ParseWwwAuthenticate(
      R"(Digest realm="AXIS_ACCC8E012345", nonce="abc,def", algorithm=MD5, qop="auth,auth-int", Basic realm="AXIS")");
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_TRUE(challenges[0].Is("digest"));
  EXPECT_EQ(challenges[0].params.at("realm"), "AXIS_ACCC8E012345");
  EXPECT_EQ(challenges[0].params.at("nonce"), "abc,def");
  EXPECT_EQ(challenges[0].params.at("algorithm"), "MD5");
  EXPECT_TRUE(challenges[1].Is("Basic"));
  EXPECT_EQ(challenges[1].params.at("realm"), "AXIS");
}

TEST(WwwAuthenticate, UnquotesEscapesAndLowerCasesNames) {
  auto challenges = ParseWwwAuthenticate(R"(Digest Realm="a \"quoted\" realm",NONCE=xyz)");
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_EQ(challenges[0].params.at("realm"), "a \"quoted\" realm");
  EXPECT_EQ(challenges[0].params.at("nonce"), "xyz");
}

TEST(WwwAuthenticate, KeepsWhatPrecedesDamage) {
  auto challenges = ParseWwwAuthenticate(R"(Basic realm="x", Digest nonce="unterminated)");
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_TRUE(challenges[0].Is("Basic"));
  EXPECT_TRUE(challenges[1].params.empty());
  EXPECT_TRUE(ParseWwwAuthenticate("").empty());
  EXPECT_TRUE(ParseWwwAuthenticate("   ,  ").empty());
}

TEST(DigestChallenge, RefusesWhatCannotBeAnswered) {
  auto no_nonce = ReadDigestChallenge(ParseWwwAuthenticate(R"(Digest realm="r")")[0]);
  EXPECT_FALSE(no_nonce.ok());
  auto int_only = ReadDigestChallenge(
      ParseWwwAuthenticate(R"(Digest realm="r", nonce="n", qop="auth-int")")[0]);
  EXPECT_FALSE(int_only.ok());
  auto sha512 = ReadDigestChallenge(
      ParseWwwAuthenticate(R"(Digest realm="r", nonce="n", algorithm=SHA-512-256)")[0]);
  ASSERT_FALSE(sha512.ok());
  EXPECT_NE(sha512.error().message.find("SHA-512-256"), std::string::npos);
  auto stale = ReadDigestChallenge(
      ParseWwwAuthenticate(R"(Digest realm="r", nonce="n", stale=TRUE, algorithm=md5-sess)")[0]);
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->stale);
  EXPECT_EQ(stale->algorithm, "MD5-sess");
}

// RFC 2617 section 3.5.
TEST(DigestAuthorization, MatchesRfc2617Example) {
  auto challenge = ReadDigestChallenge(ParseWwwAuthenticate(
      R"(Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41")")
                                           [0]);
  ASSERT_TRUE(challenge.ok());
  std::string header = DigestAuthorization(*challenge, {"Mufasa", "Circle Of Life"}, "GET",
                                           "/dir/index.html", 1, "0a4f113b");
  EXPECT_NE(header.find(R"(response="6629fae49393a05397450978507c4ef1")"), std::string::npos)
      << header;
  EXPECT_NE(header.find("nc=00000001"), std::string::npos);
  EXPECT_NE(header.find(R"(cnonce="0a4f113b")"), std::string::npos);
  EXPECT_NE(header.find(R"(opaque="5ccc069c403ebaf9f0171e9517f40e41")"), std::string::npos);
  EXPECT_NE(header.find("qop=auth,"), std::string::npos);
}

// RFC 7616 section 3.9.1, with MD5 and with SHA-256.
TEST(DigestAuthorization, MatchesRfc7616Examples) {
  const std::string common =
      R"(realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")";
  const std::string cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  auto md5 = ReadDigestChallenge(ParseWwwAuthenticate("Digest " + common + ", algorithm=MD5")[0]);
  ASSERT_TRUE(md5.ok());
  EXPECT_NE(
      DigestAuthorization(*md5, {"Mufasa", "Circle of Life"}, "GET", "/dir/index.html", 1, cnonce)
          .find(R"(response="8ca523f5e9506fed4657c9700eebdbec")"),
      std::string::npos);
  auto sha =
      ReadDigestChallenge(ParseWwwAuthenticate("Digest " + common + ", algorithm=SHA-256")[0]);
  ASSERT_TRUE(sha.ok());
  EXPECT_NE(
      DigestAuthorization(*sha, {"Mufasa", "Circle of Life"}, "GET", "/dir/index.html", 1, cnonce)
          .find(R"(response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")"),
      std::string::npos);
}

TEST(DigestAuthorization, WithoutQopUsesTheRfc2069Form) {
  auto challenge = ReadDigestChallenge(ParseWwwAuthenticate(R"(Digest realm="r", nonce="n")")[0]);
  ASSERT_TRUE(challenge.ok());
  std::string header = DigestAuthorization(*challenge, {"u", "p"}, "GET", "/", 1, "c");
  EXPECT_EQ(header.find("qop="), std::string::npos);
  EXPECT_EQ(header.find("cnonce"), std::string::npos);
}

TEST(BasicAuthorization, MatchesRfc7617Example) {
  EXPECT_EQ(BasicAuthorization({"Aladdin", "open sesame"}), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(BasicAuthorization({"", ""}), "Basic Og==");
}

TEST(UrlEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(UrlEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(UrlEncode("1:/ x&y=\\"), "1%3A%2F%20x%26y%3D%5C");
}

TEST(ClientNonce, IsFreshEachTime) {
  std::string a = NewClientNonce();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, NewClientNonce());
}

}  // namespace
}  // namespace onvifgw::adapter_sdk

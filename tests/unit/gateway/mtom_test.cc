// MIME multipart/related (MTOM/XOP) packaging and Content-Type parsing.

#include "soap/mtom.h"

#include <gtest/gtest.h>

#include <string>

#include "core/media_type.h"

namespace onvifgw::soap {
namespace {

TEST(MediaTypeTest, TypeAndParametersCaseInsensitiveAndUnquoted) {
  const MediaType m = ParseMediaType(
      "Multipart/Related ; TYPE=\"application/xop+xml\";boundary=\"a;b\\\"c\"; start=<x@y>; "
      "flag;  charset = UTF-8 ");
  EXPECT_EQ(m.type, "multipart/related");
  EXPECT_EQ(m.Parameter("type"), "application/xop+xml");
  EXPECT_EQ(m.Parameter("boundary"), "a;b\"c");
  EXPECT_EQ(m.Parameter("start"), "<x@y>");
  EXPECT_EQ(m.Parameter("charset"), "UTF-8");
  EXPECT_EQ(m.Parameter("flag"), std::nullopt);
  EXPECT_TRUE(ParseMediaType("application/soap+xml").Is("application/soap+xml"));
  EXPECT_TRUE(ParseMediaType("").type.empty());
  EXPECT_EQ(ParseMediaType("text/xml; x=\"unterminated").Parameter("x"), "unterminated");
}

// A package as gSOAP and Axis2 send one: CRLF lines, the root named by start.
std::string Package(const std::string& boundary, const std::string& firmware) {
  return "preamble to be ignored\r\n--" + boundary +
         "\r\n"
         "Content-Type: application/octet-stream\r\n"
         "Content-Transfer-Encoding: binary\r\n"
         "Content-ID: <fw%1@client>\r\n\r\n" +
         firmware + "\r\n--" + boundary +
         "\r\n"
         "Content-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n"
         "Content-ID: <root@client>\r\n\r\n"
         "<Envelope/>\r\n--" +
         boundary + "--\r\nepilogue";
}

TEST(MtomTest, ParsesTheRootAndTheBinaryPartByContentId) {
  const std::string firmware("\x00\xff\r\n--not-the-boundary\r\n\x01", 28);
  const std::string body = Package("b1", firmware);
  auto r = ParseMtom(
      "multipart/related; type=\"application/xop+xml\"; start=\"<root@client>\"; boundary=b1",
      body);
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->envelope, "<Envelope/>");
  ASSERT_EQ(r->attachments.parts.size(), 1u);
  EXPECT_EQ(r->attachments.parts[0].content_type, "application/octet-stream");
  // cid URLs are percent-encoded (RFC 2392): %25 is '%'.
  const ReceivedPart* part = r->attachments.Find("cid:fw%251@client");
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->data(), firmware);
  EXPECT_EQ(r->attachments.Find("CID:fw%251@client"), part);
  EXPECT_EQ(r->attachments.Find("cid:fw%1@client"), nullptr);  // not valid percent-encoding
  EXPECT_EQ(r->attachments.Find("cid:other@client"), nullptr);
  EXPECT_EQ(r->attachments.Find("http://x/fw"), nullptr);
}

TEST(MtomTest, WithoutStartTheFirstPartIsTheRootAndLfLinesAndBase64AreAccepted) {
  const std::string body =
      "--b\n"
      "Content-Type: application/soap+xml\n\n"
      "<E/>\n--b\n"
      "content-id: <p>\n"
      "content-transfer-encoding: BASE64\n\n"
      "aGVs\r\nbG8=\n--b--\n";
  auto r = ParseMtom("multipart/related; boundary=b", body);
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->envelope, "<E/>");
  ASSERT_NE(r->attachments.Find("cid:p"), nullptr);
  EXPECT_EQ(r->attachments.Find("cid:p")->data(), "hello");
}

TEST(MtomTest, MalformedPackagesAreWellFormedFaults) {
  const std::string ok = Package("b1", "x");
  auto fails = [](const std::string& ct, const std::string& body) {
    auto r = ParseMtom(ct, body);
    if (r.has_value()) return std::string("accepted");
    EXPECT_EQ(r.error().code, FaultCode::kSender);
    EXPECT_EQ(r.error().subcodes, std::vector<std::string>{"WellFormed"});
    return r.error().reason;
  };
  EXPECT_NE(fails("multipart/related", ok).find("no boundary"), std::string::npos);
  EXPECT_NE(fails("multipart/related; boundary=zz", ok).find("no part"), std::string::npos);
  EXPECT_NE(fails("multipart/related; boundary=b1", ok.substr(0, ok.size() - 20)).find("closing"),
            std::string::npos);
  EXPECT_NE(fails("multipart/related; boundary=b1; start=\"<nope>\"", ok).find("start"),
            std::string::npos);
  EXPECT_NE(
      fails("multipart/related; boundary=b", "--b\r\nContent-Type: image/png\r\n\r\nPNG\r\n--b--")
          .find("image/png"),
      std::string::npos);
  EXPECT_NE(fails("multipart/related; boundary=b",
                  "--b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nx\r\n--b--")
                .find("quoted-printable"),
            std::string::npos);
  EXPECT_NE(fails("multipart/related; boundary=b", "--b\r\nno colon\r\n\r\nx\r\n--b--").find(":"),
            std::string::npos);
  std::string many;
  for (std::size_t i = 0; i <= kMaxParts; ++i) many += "--b\r\n\r\nx\r\n";
  EXPECT_NE(fails("multipart/related; boundary=b", many + "--b--").find("parts"),
            std::string::npos);
}

TEST(MtomTest, WrittenPackagesParseBackWithTheirParts) {
  OutgoingAttachments out;
  const std::string binary("\r\n--\x00\x01zz", 8);
  const std::string href1 = out.Add("application/octet-stream", binary);
  const std::string href2 = out.Add("text/plain", "");
  EXPECT_NE(href1, href2);
  const MtomMessage m = WriteMtom("<Envelope>" + href1 + "</Envelope>", out);
  const MediaType t = ParseMediaType(m.content_type);
  EXPECT_TRUE(t.Is("multipart/related"));
  EXPECT_EQ(t.Parameter("type"), "application/xop+xml");
  EXPECT_EQ(t.Parameter("start-info"), "application/soap+xml");
  auto back = ParseMtom(m.content_type, m.body);
  ASSERT_TRUE(back.has_value()) << back.error().reason;
  EXPECT_EQ(back->envelope, "<Envelope>" + href1 + "</Envelope>");
  ASSERT_NE(back->attachments.Find(href1), nullptr);
  EXPECT_EQ(back->attachments.Find(href1)->data(), binary);
  EXPECT_EQ(back->attachments.Find(href1)->content_type, "application/octet-stream");
  ASSERT_NE(back->attachments.Find(href2), nullptr);
  EXPECT_EQ(back->attachments.Find(href2)->data(), "");
  // A fresh boundary each time.
  EXPECT_NE(WriteMtom("<E/>", out).content_type, m.content_type);
}

}  // namespace
}  // namespace onvifgw::soap

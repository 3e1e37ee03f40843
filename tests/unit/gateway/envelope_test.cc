// The envelope parser: what real clients send is understood; malformed XML,
// oversized bodies, deep nesting, entity and DTD attacks end in a fault.

#include "soap/envelope.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace onvifgw::soap {
namespace {

std::string Envelope(const std::string& body, const std::string& header = "") {
  return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">" +
         (header.empty() ? "" : "<s:Header>" + header + "</s:Header>") + "<s:Body>" + body +
         "</s:Body></s:Envelope>";
}

Fault ParseFault(const std::string& xml, XmlLimits limits = {}) {
  auto r = ParseEnvelope(xml, limits);
  EXPECT_FALSE(r.has_value());
  return r ? Fault{} : r.error();
}

TEST(Envelope, FindsOperationByBodyElement) {
  auto r = ParseEnvelope(
      Envelope(
          "<GetDeviceInformation xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/>",
          "<a:MessageID xmlns:a=\"http://www.w3.org/2005/08/addressing\">urn:uuid:1</a:MessageID>"
          "<a:Action xmlns:a=\"http://www.w3.org/2005/08/addressing\">x</a:Action>"),
      {});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->operation_ns, "http://www.onvif.org/ver10/device/wsdl");
  EXPECT_EQ(r->operation_name, "GetDeviceInformation");
  EXPECT_EQ(r->message_id, "urn:uuid:1");
  EXPECT_EQ(r->action, "x");
}

TEST(Envelope, Soap11IsTolerated) {
  auto r = ParseEnvelope(
      "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body>"
      "<GetHostname xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/></e:Body></e:Envelope>",
      {});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->version, SoapVersion::k11);
}

TEST(Envelope, MalformedXmlIsWellFormedFault) {
  Fault f = ParseFault("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>");
  EXPECT_EQ(f.code, FaultCode::kSender);
  ASSERT_EQ(f.subcodes.size(), 1u);
  EXPECT_EQ(f.subcodes[0], "WellFormed");
  EXPECT_EQ(f.HttpStatus(), 400);
}

TEST(Envelope, NotAnEnvelopeIsVersionMismatch) {
  Fault f = ParseFault("<Envelope><Body/></Envelope>");
  EXPECT_EQ(f.code, FaultCode::kVersionMismatch);
}

TEST(Envelope, EmptyBodyIsRejected) {
  Fault f = ParseFault(Envelope(""));
  EXPECT_EQ(f.code, FaultCode::kSender);
}

TEST(Envelope, OversizedBodyIsRejectedBeforeParsing) {
  std::string big = Envelope("<x>" + std::string(5000, 'a') + "</x>");
  Fault f = ParseFault(big, XmlLimits{1000, 64});
  EXPECT_NE(f.reason.find("size"), std::string::npos);
}

TEST(Envelope, DeepNestingIsRejected) {
  std::string open, close;
  for (int i = 0; i < 100; ++i) {
    open += "<a>";
    close += "</a>";
  }
  Fault f = ParseFault(Envelope(open + close), XmlLimits{1 << 20, 32});
  EXPECT_NE(f.reason.find("depth"), std::string::npos);
}

TEST(Envelope, BillionLaughsIsRejected) {
  std::string xml =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>" +
      Envelope("<x>&lol3;</x>");
  Fault f = ParseFault(xml);
  EXPECT_EQ(f.subcodes.at(0), "WellFormed");
  EXPECT_NE(f.reason.find("DTD"), std::string::npos);
}

TEST(Envelope, ExternalEntityIsRejected) {
  std::string xml =
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" +
      Envelope("<x>&xxe;</x>");
  Fault f = ParseFault(xml);
  EXPECT_NE(f.reason.find("DTD"), std::string::npos);
}

TEST(Envelope, LowercaseDoctypeTrickIsRejected) {
  // Not valid XML either way, but never expanded.
  Fault f = ParseFault("<!doctype x [<!ENTITY a \"b\">]>" + Envelope("<x>&a;</x>"));
  EXPECT_EQ(f.code, FaultCode::kSender);
}

TEST(Envelope, UndefinedEntityIsMalformed) {
  Fault f = ParseFault(Envelope("<x>&undefined;</x>"));
  EXPECT_EQ(f.subcodes.at(0), "WellFormed");
}

TEST(Envelope, TwoBodiesAreRejected) {
  Fault f = ParseFault(
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><a/></s:Body>"
      "<s:Body><b/></s:Body></s:Envelope>");
  EXPECT_EQ(f.code, FaultCode::kSender);
}

TEST(Envelope, FaultEnvelopeDeclaresEveryPrefix) {
  Fault f = ActionNotSupported("nope", "NoSuchService");
  std::string xml = WriteFaultEnvelope(f, {"urn:uuid:9", "a"});
  EXPECT_NE(xml.find("xmlns:ter=\"http://www.onvif.org/ver10/error\""), std::string::npos);
  EXPECT_NE(xml.find("xmlns:wsa=\"http://www.w3.org/2005/08/addressing\""), std::string::npos);
  EXPECT_NE(xml.find("<wsa:RelatesTo>urn:uuid:9</wsa:RelatesTo>"), std::string::npos);
  EXPECT_NE(xml.find("<env:Subcode><env:Value>ter:ActionNotSupported</env:Value><env:Subcode>"
                     "<env:Value>ter:NoSuchService</env:Value></env:Subcode></env:Subcode>"),
            std::string::npos);
  EXPECT_EQ(xml.rfind("<?xml", 0), 0u);  // nothing before the declaration
}

// Every captured request of a real client parses and names its operation.
TEST(Envelope, EveryRealClientTraceParses) {
  const std::filesystem::path dir = std::filesystem::path(ONVIFGW_SHARED_ONVIF) / "traces";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "../shared/onvif/traces is absent";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".xml") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    auto r = ParseEnvelope(ss.str(), {});
    ASSERT_TRUE(r.has_value()) << e.path() << ": " << (r ? "" : r.error().reason);
    const std::string stem = e.path().stem().string();
    const std::string op = stem.substr(stem.find("--") + 2);
    EXPECT_EQ(op.substr(0, r->operation_name.size()), r->operation_name) << e.path();
    ++n;
  }
  EXPECT_GE(n, 14);
}

}  // namespace
}  // namespace onvifgw::soap

#pragma once
// Posts SOAP bodies to one virtual device through a SoapEndpoint, without
// sockets, as the unit tests of the services do: every reply is validated
// with check-soap when it is present, and every handler must answer at once
// (fakes stand in for the adapter).

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "check_soap.h"
#include "core/base64.h"
#include "security/username_token.h"
#include "served_registry.h"
#include "services/authentication.h"
#include "services/soap_endpoint.h"
#include "services/virtual_device.h"
#include "services/xml_time.h"
#include "soap/mtom.h"

namespace onvifgw::testing {

inline constexpr const char* kDeviceServicePath = "/onvif/device_service";

/// The identity the services' unit tests give their virtual device (golden
/// replies carry it, so it is the same everywhere).
inline store::DeviceIdentity TestDeviceIdentity() {
  return {"urn:uuid:0a4f9f61-4c7e-4d8a-9d9e-2f1a3b4c5d6e", "GW0011223344", "02:11:22:33:44:55",
          "GW-A1B2C3D4"};
}

class SoapTestClient {
 public:
  /// `device` is read at every call, so a test may change it in between.
  /// `authenticate`: requests are authenticated and their access class
  /// checked against the device's security (SignInAs), as the gateway does.
  explicit SoapTestClient(services::VirtualDevice& device, bool authenticate = false)
      : endpoint_(ServedRegistry(), soap::XmlLimits{}, authenticate ? &authenticator_ : nullptr),
        device_(device) {}

  /// Every later call carries a UsernameToken (PasswordDigest, a fresh
  /// nonce, Created from the device's clock) for this user.
  void SignInAs(std::string username, std::string password) {
    username_ = std::move(username);
    password_ = std::move(password);
  }

  /// `body` is the content of s:Body; the prefixes tds, tt, trt, tr2 and tev
  /// are declared.
  services::SoapReply Call(const std::string& body, const char* path = kDeviceServicePath) {
    return Post(body, path, nullptr);
  }

  /// As Call, the request carrying binary parts as an MTOM request would
  /// (xop:Include hrefs "cid:<content id>" name them). A reply with parts
  /// comes back as the package (SoapReply::content_type multipart/related);
  /// its envelope is the one validated.
  services::SoapReply CallWithParts(const std::string& body, soap::ReceivedAttachments parts,
                                    const char* path = kDeviceServicePath) {
    return Post(body, path, std::make_shared<const soap::ReceivedAttachments>(std::move(parts)));
  }

  /// A part that owns its bytes, for CallWithParts.
  static soap::ReceivedPart Part(std::string content_id, std::string bytes) {
    soap::ReceivedPart p;
    p.content_id = std::move(content_id);
    p.content_type = "application/octet-stream";
    p.decoded = std::move(bytes);
    return p;
  }

 private:
  services::SoapReply Post(const std::string& body, const char* path,
                           std::shared_ptr<const soap::ReceivedAttachments> parts) {
    const std::string xml =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "
        "xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\" "
        "xmlns:tr2=\"http://www.onvif.org/ver20/media/wsdl\" "
        "xmlns:tev=\"http://www.onvif.org/ver10/events/wsdl\" "
        "xmlns:tptz=\"http://www.onvif.org/ver20/ptz/wsdl\" "
        "xmlns:timg=\"http://www.onvif.org/ver20/imaging/wsdl\" "
        "xmlns:tmd=\"http://www.onvif.org/ver10/deviceIO/wsdl\" "
        "xmlns:tt=\"http://www.onvif.org/ver10/schema\">" +
        SecurityHeader() + "<s:Body>" + body + "</s:Body></s:Envelope>";
    services::RequestContext ctx{device_, "http", "192.0.2.10:8080", "192.0.2.10", path,
                                 "",      "POST", "192.0.2.99",      std::nullopt};
    ctx.attachments = std::move(parts);
    services::SoapReply reply;
    bool called = false;
    endpoint_.Handle(xml, ctx, [&](services::SoapReply r) {
      reply = std::move(r);
      called = true;
    });
    EXPECT_TRUE(called) << "no answer at once to " << body;
    if (CheckSoapAvailable()) {
      if (reply.content_type.empty()) {
        EXPECT_EQ(CheckSoap(reply.body), "") << body;
      } else {
        auto package = soap::ParseMtom(reply.content_type, reply.body);
        EXPECT_TRUE(package.has_value()) << reply.content_type;
        if (package) {
          EXPECT_EQ(CheckSoap(std::string(package->envelope)), "") << body;
        }
      }
    }
    return reply;
  }

 public:
  /// The reply's body, expecting success.
  std::string Ok(const std::string& body, const char* path = kDeviceServicePath) {
    services::SoapReply r = Call(body, path);
    EXPECT_EQ(r.http_status, 200) << body << "\n" << r.body;
    return r.body;
  }

  /// The innermost ter: subcode of the fault ("NoProfile"), or "" on success.
  std::string FaultOf(const std::string& body, const char* path = kDeviceServicePath) {
    services::SoapReply r = Call(body, path);
    if (r.http_status == 200) return "";
    return InnermostTerSubcode(r.body);
  }

 private:
  std::string SecurityHeader() {
    if (username_.empty()) return "";
    const std::string nonce = "test-nonce-" + std::to_string(++nonces_);
    const std::string created = services::FormatDateTime(device_.clock->Now());
    return "<s:Header><wsse:Security xmlns:wsse=\"http://docs.oasis-open.org/wss/2004/01/"
           "oasis-200401-wss-wssecurity-secext-1.0.xsd\" xmlns:wsu=\"http://docs.oasis-open.org/"
           "wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd\"><wsse:UsernameToken>"
           "<wsse:Username>" +
           username_ +
           "</wsse:Username><wsse:Password Type=\"http://docs.oasis-open.org/wss/2004/01/"
           "oasis-200401-wss-username-token-profile-1.0#PasswordDigest\">" +
           security::ComputePasswordDigest(nonce, created, password_) +
           "</wsse:Password><wsse:Nonce>" + Base64Encode(nonce) + "</wsse:Nonce><wsu:Created>" +
           created + "</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>";
  }

  std::string username_, password_;
  int nonces_ = 0;
  services::RequestAuthenticator authenticator_;
  services::SoapEndpoint endpoint_;
  services::VirtualDevice& device_;
};

}  // namespace onvifgw::testing

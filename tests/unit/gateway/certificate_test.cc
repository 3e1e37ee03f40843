// The certificate operations of the Device service as a client uses them: a
// key pair and self-signed certificate made on board, its PKCS#10 request
// signed by a CA and loaded back, certificates loaded with their keys, CA
// certificates, the one enabled server certificate, client certificate mode,
// 802.1X naming certificates; every bad input faulting with nothing changed;
// private keys sealed at rest and gone from disk once deleted.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base64.h"
#include "security/key_pair.h"
#include "security/secret_box.h"
#include "security/x509_certificate.h"
#include "services/device/device_certificates.h"
#include "services/device/dot1x_configurations.h"
#include "soap_test_client.h"
#include "store/state_store.h"

namespace onvifgw::services {
namespace {

using security::KeyAlgorithm;
using security::KeyPair;
using security::X509Certificate;

std::string B64(const std::string& bytes) { return Base64Encode(bytes); }

std::string Between(const std::string& text, const std::string& open, const std::string& close) {
  const auto a = text.find(open);
  if (a == std::string::npos) return {};
  const auto b = text.find(close, a + open.size());
  return text.substr(a + open.size(), b - a - open.size());
}

std::string Create(const std::string& id, const std::string& subject = "CN=cam.example") {
  return "<tds:CreateCertificate>" +
         (id.empty() ? std::string()
                     : std::string("<tds:CertificateID>") + id + "</tds:CertificateID>") +
         std::string("<tds:Subject>") + subject +
         "</tds:Subject><tds:ValidNotBefore>2026-01-01T00:00:00Z</tds:ValidNotBefore>"
         "<tds:ValidNotAfter>2031-01-01T00:00:00Z</tds:ValidNotAfter></tds:CreateCertificate>";
}
std::string Status(const std::vector<std::pair<std::string, bool>>& statuses) {
  std::string body = "<tds:SetCertificatesStatus>";
  for (const auto& [id, on] : statuses) {
    body += std::string("<tds:CertificateStatus><tt:CertificateID>") + id +
            "</tt:CertificateID><tt:Status>" + (on ? "true" : "false") +
            "</tt:Status></tds:CertificateStatus>";
  }
  return body + "</tds:SetCertificatesStatus>";
}
std::string Delete(const std::vector<std::string>& ids) {
  std::string body = "<tds:DeleteCertificates>";
  for (const auto& id : ids)
    body += std::string("<tds:CertificateID>") + id + "</tds:CertificateID>";
  return body + "</tds:DeleteCertificates>";
}
std::string Certificate(const std::string& id, const std::string& data) {
  return std::string("<tt:CertificateID>") + id + "</tt:CertificateID><tt:Certificate><tt:Data>" +
         B64(data) + "</tt:Data></tt:Certificate>";
}
std::string Load(const std::string& id, const std::string& der) {
  return std::string("<tds:LoadCertificates><tds:NVTCertificate>") + Certificate(id, der) +
         "</tds:NVTCertificate></tds:LoadCertificates>";
}
std::string LoadCa(const std::vector<std::pair<std::string, std::string>>& certificates) {
  std::string body = "<tds:LoadCACertificates>";
  for (const auto& [id, data] : certificates) {
    body += std::string("<tds:CACertificate>") + Certificate(id, data) + "</tds:CACertificate>";
  }
  return body + "</tds:LoadCACertificates>";
}
std::string WithKey(const std::string& id, const std::string& cert, const std::string& key) {
  return "<tds:LoadCertificateWithPrivateKey><tds:CertificateWithPrivateKey>" +
         Certificate(id, cert) + "<tt:PrivateKey><tt:Data>" + B64(key) +
         "</tt:Data></tt:PrivateKey></tds:CertificateWithPrivateKey>"
         "</tds:LoadCertificateWithPrivateKey>";
}
std::string Info(const std::string& id) {
  return std::string("<tds:GetCertificateInformation><tds:CertificateID>") + id +
         "</tds:CertificateID></tds:GetCertificateInformation>";
}

// A test CA: a key and a self-signed CA certificate, and what it signs.
struct TestCa {
  KeyPair key = std::move(KeyPair::Generate(KeyAlgorithm::kEcP256)).value();
  std::string der;

  TestCa() {
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("Test CA"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key.get());
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* bc =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(bc);
    X509_sign(x, key.get(), EVP_sha256());
    der = DerOf(x);
    X509_free(x);
  }
  static std::string DerOf(X509* x) {
    unsigned char* out = nullptr;
    const int n = i2d_X509(x, &out);
    std::string s(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return s;
  }
  // A certificate for the public key and subject of a PKCS#10 request.
  std::string Sign(const std::string& csr_der) const {
    const auto* p = reinterpret_cast<const unsigned char*>(csr_der.data());
    X509_REQ* req = d2i_X509_REQ(nullptr, &p, static_cast<long>(csr_der.size()));
    EXPECT_NE(req, nullptr);
    if (req == nullptr) return {};
    EXPECT_EQ(X509_REQ_verify(req, X509_REQ_get0_pubkey(req)), 1) << "CSR signature";
    auto ca = X509Certificate::Parse(der);
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
    X509_set_subject_name(x, X509_REQ_get_subject_name(req));
    X509_set_issuer_name(x, X509_get_subject_name(ca->get()));
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, X509_REQ_get0_pubkey(req));
    X509_sign(x, key.get(), EVP_sha256());
    std::string out = DerOf(x);
    X509_free(x);
    X509_REQ_free(req);
    return out;
  }
};

std::string Pem(const std::string& der) {
  std::string b64 = B64(der);
  std::string out = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END CERTIFICATE-----\n";
}

class CertificateTest : public ::testing::Test {
 protected:
  CertificateTest() : certificates_("front", nullptr, nullptr), dot1x_("front", nullptr, nullptr) {
    device_.config.id = "front";
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.certificates = &certificates_;
    device_.dot1x = &dot1x_;
  }
  std::string Der(const std::string& reply) {
    return Base64Decode(Between(reply, "<tt:Data>", "<")).value_or("");
  }

  device::DeviceCertificates certificates_;
  device::Dot1XConfigurations dot1x_;
  VirtualDevice device_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(CertificateTest, MadeOnBoardWithTheSubjectAndValidityAsked) {
  std::string r = soap_.Ok(Create("web"));
  EXPECT_NE(r.find("<tt:CertificateID>web</tt:CertificateID>"), std::string::npos) << r;
  auto cert = X509Certificate::Parse(Der(r));
  ASSERT_TRUE(cert.has_value()) << cert.error();
  const auto facts = cert->Facts();
  EXPECT_EQ(facts.subject_dn, "CN=cam.example");
  EXPECT_EQ(facts.issuer_dn, "CN=cam.example");
  EXPECT_EQ(facts.key_bits, 2048);
  EXPECT_EQ(EVP_PKEY_base_id(X509_get0_pubkey(cert->get())), EVP_PKEY_RSA);
  EXPECT_EQ(X509_verify(cert->get(), X509_get0_pubkey(cert->get())), 1);

  r = soap_.Ok(Info("web"));
  EXPECT_NE(r.find("<tt:SubjectDN>CN=cam.example</tt:SubjectDN>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:KeyLength>2048</tt:KeyLength><tt:Version>3</tt:Version>"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:SignatureAlgorithm>sha256WithRSAEncryption</tt:SignatureAlgorithm>"),
            std::string::npos);
  EXPECT_NE(r.find("<tt:From>2026-01-01T00:00:00Z</tt:From><tt:Until>2031-01-01T00:00:00Z<"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:KeyUsage Critical=\"true\">digitalSignature keyEncipherment<"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find(">serverAuth clientAuth</tt:ExtendedKeyUsage>"), std::string::npos) << r;

  // No ID: the device chooses one; a taken one is refused.
  r = soap_.Ok(Create("", "camera one"));
  EXPECT_NE(r.find("<tt:CertificateID>cert-1</tt:CertificateID>"), std::string::npos) << r;
  EXPECT_EQ(soap_.FaultOf(Create("web")), "CertificateID");
  EXPECT_EQ(soap_.FaultOf(Create("bad", "XX=1")), "InvalidArgVal");
  EXPECT_EQ(soap_.FaultOf("<tds:CreateCertificate><tds:CertificateID>late</tds:CertificateID>"
                          "<tds:ValidNotBefore>2030-01-01T00:00:00Z</tds:ValidNotBefore>"
                          "<tds:ValidNotAfter>2029-01-01T00:00:00Z</tds:ValidNotAfter>"
                          "</tds:CreateCertificate>"),
            "InvalidArgVal");
  r = soap_.Ok("<tds:GetCertificates/>");
  EXPECT_NE(r.find(">web<"), std::string::npos);
  EXPECT_NE(r.find(">cert-1<"), std::string::npos);
  EXPECT_EQ(r.find(">bad<"), std::string::npos);
  EXPECT_EQ(r.find(">late<"), std::string::npos);
  EXPECT_EQ(soap_.FaultOf(Info("nowhere")), "CertificateID");
}

TEST_F(CertificateTest, OneServerCertificateEnabledAtATime) {
  soap_.Ok(Create("a"));
  soap_.Ok(Create("b"));
  EXPECT_NE(soap_.Ok("<tds:GetCertificatesStatus/>")
                .find("<tt:CertificateID>a</tt:CertificateID><tt:Status>false</tt:Status>"),
            std::string::npos);
  soap_.Ok(Status({{"a", true}}));
  EXPECT_EQ(soap_.FaultOf(Status({{"b", true}})), "InvalidArgVal");
  EXPECT_EQ(soap_.FaultOf(Status({{"a", false}, {"nowhere", true}})), "CertificateID");
  std::string r = soap_.Ok("<tds:GetCertificatesStatus/>");
  EXPECT_NE(r.find("<tt:CertificateID>a</tt:CertificateID><tt:Status>true</tt:Status>"),
            std::string::npos)
      << r;
  // Switching over in one request.
  soap_.Ok(Status({{"a", false}, {"b", true}}));
  ASSERT_TRUE(certificates_.ServerCredentials().has_value());
  auto served = X509Certificate::Parse(certificates_.ServerCredentials()->certificate_der);
  auto b = X509Certificate::Parse(certificates_.Certificates()[1].der);
  EXPECT_EQ(served->Der(), b->Der());
  auto key = KeyPair::FromPrivateKey(certificates_.ServerCredentials()->private_key_der);
  ASSERT_TRUE(key.has_value());
  EXPECT_TRUE(b->Matches(*key));
}

TEST_F(CertificateTest, ARequestSignedByACaIsLoadedBackOntoItsKeyPair) {
  soap_.Ok(Create("web"));
  std::string r = soap_.Ok(
      "<tds:GetPkcs10Request><tds:CertificateID>web</tds:CertificateID>"
      "<tds:Subject>CN=cam.example,O=Acme</tds:Subject></tds:GetPkcs10Request>");
  EXPECT_NE(r.find("xmime:contentType=\"application/pkcs10\""), std::string::npos) << r;
  TestCa ca;
  const std::string signed_der = ca.Sign(Der(r));
  ASSERT_FALSE(signed_der.empty());
  // Without a subject: the certificate's own, as it is.
  const std::string same = soap_.Ok(
      "<tds:GetPkcs10Request><tds:CertificateID>web</tds:CertificateID></tds:GetPkcs10Request>");
  {
    const std::string der = Der(same);
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    X509_REQ* req = d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(req, nullptr);
    char name[256];
    X509_NAME_oneline(X509_REQ_get_subject_name(req), name, sizeof name);
    EXPECT_STREQ(name, "/CN=cam.example");
    X509_REQ_free(req);
  }
  // Another ID on the same key, and the same ID replacing the self-signed one.
  soap_.Ok(Load("web-ca", signed_der));
  soap_.Ok(Status({{"web", true}}));
  soap_.Ok(Load("web", signed_der));
  EXPECT_EQ(certificates_.ServerCredentials()->certificate_der, signed_der);
  r = soap_.Ok(Info("web"));
  EXPECT_NE(r.find("<tt:IssuerDN>CN=Test CA</tt:IssuerDN><tt:SubjectDN>CN=cam.example,O=Acme<"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:SerialNum>1092</tt:SerialNum>"), std::string::npos) << r;

  // A certificate for a key the device does not have, garbage, a cut one,
  // and the CA's certificate under an ID already in use: nothing loaded.
  const auto before = soap_.Ok("<tds:GetCertificates/>");
  EXPECT_EQ(soap_.FaultOf(Load("stranger", ca.der)), "NoMatchingPrivateKey");
  EXPECT_EQ(soap_.FaultOf(Load("junk", "not a certificate")), "BadCertificate");
  EXPECT_EQ(soap_.FaultOf(Load("cut", signed_der.substr(0, signed_der.size() / 2))),
            "BadCertificate");
  EXPECT_EQ(soap_.FaultOf("<tds:GetPkcs10Request><tds:CertificateID>nowhere</tds:CertificateID>"
                          "</tds:GetPkcs10Request>"),
            "CertificateID");
  EXPECT_EQ(soap_.Ok("<tds:GetCertificates/>"), before);
}

TEST_F(CertificateTest, ACertificateLoadedWithItsKey) {
  auto key = KeyPair::Generate(KeyAlgorithm::kEcP256);
  auto cert = X509Certificate::SelfSigned(
      *key, {"CN=loaded", std::chrono::system_clock::now(),
             std::chrono::system_clock::now() + std::chrono::hours(24)});
  auto other = KeyPair::Generate(KeyAlgorithm::kEcP256);
  EXPECT_EQ(soap_.FaultOf(WithKey("mismatch", cert->Der(), other->PrivateKeyDer())),
            "PublicPrivateKeyMismatch");
  EXPECT_EQ(soap_.FaultOf(WithKey("badkey", cert->Der(), "not a key")), "InvalidArgVal");
  EXPECT_TRUE(certificates_.Certificates().empty());
  soap_.Ok(WithKey("loaded", cert->Der(), key->PrivateKeyDer()));
  soap_.Ok(Status({{"loaded", true}}));
  EXPECT_EQ(certificates_.ServerCredentials()->private_key_der, key->PrivateKeyDer());
  const std::string r = soap_.Ok(Info("loaded"));
  EXPECT_NE(r.find("<tt:SignatureAlgorithm>ecdsa-with-SHA256<"), std::string::npos) << r;
  // Never returned: no operation's reply carries the key.
  for (const char* op :
       {"<tds:GetCertificates/>", "<tds:GetCertificatesStatus/>", "<tds:GetCACertificates/>"}) {
    EXPECT_EQ(soap_.Ok(op).find(B64(key->PrivateKeyDer()).substr(0, 40)), std::string::npos);
  }
}

TEST_F(CertificateTest, CaCertificatesAllOrNothingAndClientCertificateMode) {
  TestCa ca1, ca2;
  EXPECT_EQ(soap_.Ok("<tds:GetClientCertificateMode/>").find("<tds:Enabled>false</tds:Enabled>") !=
                std::string::npos,
            true);
  EXPECT_EQ(soap_.FaultOf("<tds:SetClientCertificateMode><tds:Enabled>true</tds:Enabled>"
                          "</tds:SetClientCertificateMode>"),
            "EnablingTlsFailed");
  EXPECT_EQ(
      soap_.FaultOf(LoadCa({{"ca1", ca1.der}, {"junk", "-----BEGIN CERTIFICATE-----\nAAAA"}})),
      "BadCertificate");
  EXPECT_TRUE(certificates_.CaCertificates().empty());
  soap_.Ok(LoadCa({{"ca1", ca1.der}, {"ca2", Pem(ca2.der)}}));  // DER and PEM
  const auto cas = certificates_.CaCertificates();
  ASSERT_EQ(cas.size(), 2u);
  EXPECT_EQ(cas[1].der, ca2.der);  // kept as DER
  EXPECT_EQ(soap_.FaultOf(LoadCa({{"ca1", ca1.der}})), "CertificateID");
  soap_.Ok(
      "<tds:SetClientCertificateMode><tds:Enabled>true</tds:Enabled>"
      "</tds:SetClientCertificateMode>");
  EXPECT_NE(soap_.Ok("<tds:GetClientCertificateMode/>").find("<tds:Enabled>true</tds:Enabled>"),
            std::string::npos);
  EXPECT_NE(soap_.Ok(Info("ca2")).find("<tt:SubjectDN>CN=Test CA</tt:SubjectDN>"),
            std::string::npos);
  // The last CA certificates cannot go while clients need one of them.
  EXPECT_EQ(soap_.FaultOf(Delete({"ca1", "ca2"})), "InvalidArgVal");
  EXPECT_EQ(certificates_.CaCertificates().size(), 2u);
  soap_.Ok(Delete({"ca1"}));
  soap_.Ok(
      "<tds:SetClientCertificateMode><tds:Enabled>false</tds:Enabled>"
      "</tds:SetClientCertificateMode>");
  soap_.Ok(Delete({"ca2"}));
  EXPECT_TRUE(certificates_.CaCertificates().empty());
}

TEST_F(CertificateTest, DeletedAllOrNothing) {
  soap_.Ok(Create("a"));
  soap_.Ok(Create("b"));
  EXPECT_EQ(soap_.FaultOf(Delete({"a", "nowhere"})), "CertificateID");
  EXPECT_EQ(certificates_.Certificates().size(), 2u);
  soap_.Ok(Delete({"a"}));
  ASSERT_EQ(certificates_.Certificates().size(), 1u);
  EXPECT_EQ(certificates_.Certificates()[0].id, "b");
  EXPECT_EQ(certificates_.Current().keys_size(), 1);  // a's key pair went with it
}

TEST_F(CertificateTest, EapTlsNamesTheDevicesCertificates) {
  TestCa ca;
  soap_.Ok(Create("client"));
  soap_.Ok(LoadCa({{"radius-ca", ca.der}}));
  const std::string caps = soap_.Ok("<tds:GetServiceCapabilities/>");
  EXPECT_NE(caps.find("SupportedEAPMethods=\"4 13 21 25\""), std::string::npos) << caps;
  EXPECT_NE(caps.find("TLS1.2=\"false\""), std::string::npos) << "no HTTPS endpoint here";
  EXPECT_NE(caps.find("OnboardKeyGeneration=\"true\""), std::string::npos);
  auto eap_tls = [](const std::string& ca_id, const std::string& cert_id) {
    return "<tds:CreateDot1XConfiguration><tds:Dot1XConfiguration><tt:Dot1XConfigurationToken>"
           "wired</tt:Dot1XConfigurationToken><tt:Identity>camera-7</tt:Identity>"
           "<tt:CACertificateID>" +
           ca_id +
           "</tt:CACertificateID><tt:EAPMethod>13</tt:EAPMethod><tt:EAPMethodConfiguration>"
           "<tt:TLSConfiguration><tt:CertificateID>" +
           cert_id +
           "</tt:CertificateID></tt:TLSConfiguration></tt:EAPMethodConfiguration>"
           "</tds:Dot1XConfiguration></tds:CreateDot1XConfiguration>";
  };
  EXPECT_EQ(soap_.FaultOf(eap_tls("nowhere", "client")), "CertificateID");
  EXPECT_EQ(soap_.FaultOf(eap_tls("radius-ca", "nowhere")), "CertificateID");
  soap_.Ok(eap_tls("radius-ca", "client"));
  // In use: neither can be deleted.
  EXPECT_EQ(soap_.FaultOf(Delete({"client"})), "InvalidArgVal");
  EXPECT_EQ(soap_.FaultOf(Delete({"radius-ca"})), "InvalidArgVal");
  EXPECT_EQ(certificates_.Certificates().size(), 1u);
}

std::string FileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(DeviceCertificatesTest, KeysSealedAtRestKeptAcrossARestartAndGoneFromDiskOnceDeleted) {
  const auto dir = std::filesystem::temp_directory_path() /
                   (std::string("onvifgw-certs-") + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto box = security::SecretBox::FromKey(std::string(security::SecretBox::kKeyBytes, 'k'));
  ASSERT_TRUE(box.has_value());
  const auto now = std::chrono::system_clock::now();
  std::string private_key;
  std::string sealed;
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value()) << store.error();
    device::DeviceCertificates certificates("front", store->get(), &*box);
    ASSERT_TRUE(certificates.Load().ok());
    ASSERT_TRUE(certificates
                    .CreateSelfSigned({.id = "web",
                                       .subject = "CN=front",
                                       .not_before = now,
                                       .not_after = now + std::chrono::hours(1),
                                       .algorithm = KeyAlgorithm::kEcP256})
                    .has_value());
    ASSERT_TRUE(certificates.SetStatuses({{"web", true}}).ok());
    private_key = certificates.ServerCredentials()->private_key_der;
    sealed = certificates.Current().keys(0).sealed_private_key();
    ASSERT_FALSE(private_key.empty());
    auto row = (*store)->Setting("front", "certificates");
    ASSERT_TRUE(row.has_value() && row->has_value());
    EXPECT_EQ((**row).find(private_key), std::string::npos) << "stored in clear";
  }
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value());
    device::DeviceCertificates certificates("front", store->get(), &*box);
    ASSERT_TRUE(certificates.Load().ok());
    ASSERT_TRUE(certificates.ServerCredentials().has_value());
    EXPECT_EQ(certificates.ServerCredentials()->private_key_der, private_key);
    // Another device cannot open it (the seal is bound to the device).
    device::DeviceCertificates other("back", store->get(), &*box);
    ASSERT_TRUE(other.Load().ok());
    EXPECT_FALSE(other.ServerCredentials().has_value());

    ASSERT_TRUE(certificates.Delete({"web"}).ok());
    std::string on_disk;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      on_disk += FileBytes(entry.path());
    }
    EXPECT_EQ(on_disk.find(sealed), std::string::npos) << "the sealed key is still on disk";
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onvifgw::services

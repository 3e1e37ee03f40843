#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <regex>
#include <string>

#include "security/key_pair.h"
#include "security/openssl_ptr.h"
#include "security/pkcs10_request.h"
#include "security/x509_certificate.h"

namespace onvifgw::security {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

// Key generation (RSA especially) is the slow part: each kind once.
const KeyPair& RsaKey() {
  static const KeyPair key = KeyPair::Generate(KeyAlgorithm::kRsa2048).value();
  return key;
}
const KeyPair& EcKey() {
  static const KeyPair key = KeyPair::Generate(KeyAlgorithm::kEcP256).value();
  return key;
}

EvpPkeyPtr RawKey(const char* type, std::size_t rsa_bits) {
  return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, type, rsa_bits));
}
EvpPkeyPtr RawEcKey(const char* curve) {
  return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string Pkcs8Der(EVP_PKEY* key) {
  Pkcs8Ptr p8(EVP_PKEY2PKCS8(key));
  return ToDer(p8.get(), i2d_PKCS8_PRIV_KEY_INFO);
}

std::string Pkcs8Pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  return BioText(bio.get());
}

// "RSA PRIVATE KEY" / "EC PRIVATE KEY", encrypted when `cipher` is given.
std::string TraditionalPem(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  static char password[] = "secret";
  EXPECT_EQ(
      PEM_write_bio_PrivateKey_traditional(
          bio.get(), key, cipher, cipher ? reinterpret_cast<unsigned char*>(password) : nullptr,
          cipher ? 6 : 0, nullptr, nullptr),
      1);
  return BioText(bio.get());
}

std::string CertPem(const X509Certificate& cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_X509(bio.get(), cert.get()), 1);
  return BioText(bio.get());
}

std::string Rfc2253(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return BioText(bio.get());
}

X509Ptr FromDer(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

Clock::time_point At(std::chrono::sys_days day, Clock::duration time_of_day = {}) {
  return Clock::time_point(day.time_since_epoch()) + time_of_day;
}

SelfSignedRequest Request(std::string subject) {
  return {std::move(subject), At(std::chrono::year(2024) / 1 / 2, 3h + 4min + 5s + 678ms),
          At(std::chrono::year(2060) / 12 / 31, 23h + 59min + 59s)};
}

X509Certificate SelfSigned(const KeyPair& key, std::string subject = "CN=cam1,O=Acme") {
  auto cert = X509Certificate::SelfSigned(key, Request(std::move(subject)));
  EXPECT_TRUE(cert) << cert.error();
  return std::move(cert).value();
}

bool IsCriticalExtension(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

void AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  ASSERT_TRUE(ext);
  ASSERT_EQ(X509_add_ext(cert, ext.get(), -1), 1);
}

// A certificate made with OpenSSL alone: a CA (basicConstraints CA:TRUE,
// valid "forever") when `ca`, else a bare version 1 certificate.
std::string MakeCertDer(const KeyPair& key, bool ca) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), ca ? X509_VERSION_3 : X509_VERSION_1);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 255);  // DER 02 02 00 FF
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Test CA"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()), "20240101000000Z");
  // RFC 5280 §4.1.2.5: no well-defined expiration date.
  ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()), "99991231235959Z");
  X509_set_pubkey(cert.get(), key.get());
  if (ca) {
    AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    AddExtension(cert.get(), NID_ext_key_usage, "serverAuth,1.3.6.1.4.1.99999.1");
  }
  EXPECT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
  return ToDer(cert.get(), i2d_X509);
}

std::string AttributeDer(int nid, const char* text) {
  X509AttributePtr attribute(X509_ATTRIBUTE_create_by_NID(nullptr, nid, MBSTRING_ASC, text, -1));
  EXPECT_TRUE(attribute);
  return ToDer(attribute.get(), i2d_X509_ATTRIBUTE);
}

// ----------------------------------------------------------------- KeyPair

TEST(KeyPair, GeneratesRsa2048) {
  const KeyPair& key = RsaKey();
  EXPECT_TRUE(key.is_rsa());
  EXPECT_EQ(key.bits(), 2048);
  EXPECT_TRUE(EVP_PKEY_is_a(key.get(), "RSA"));
  EXPECT_FALSE(key.PrivateKeyDer().empty());
  EXPECT_FALSE(key.PublicKeyDer().empty());
}

TEST(KeyPair, GeneratesEcP256) {
  const KeyPair& key = EcKey();
  EXPECT_FALSE(key.is_rsa());
  EXPECT_EQ(key.bits(), 256);
  EXPECT_TRUE(EVP_PKEY_is_a(key.get(), "EC"));
  auto other = KeyPair::Generate(KeyAlgorithm::kEcP256);
  ASSERT_TRUE(other) << other.error();
  EXPECT_NE(other->PublicKeyDer(), key.PublicKeyDer());
}

TEST(KeyPair, Pkcs8RoundTrip) {
  for (const KeyPair* key : {&RsaKey(), &EcKey()}) {
    const std::string der = key->PrivateKeyDer();
    // PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING ... }.
    ASSERT_GT(der.size(), 4u);
    EXPECT_EQ(static_cast<unsigned char>(der[0]), 0x30);
    auto back = KeyPair::FromPrivateKey(der);
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(back->PrivateKeyDer(), der);
    EXPECT_EQ(back->PublicKeyDer(), key->PublicKeyDer());
    EXPECT_EQ(back->bits(), key->bits());
    EXPECT_EQ(back->is_rsa(), key->is_rsa());
  }
}

TEST(KeyPair, ImportsPemForms) {
  for (const KeyPair* key : {&RsaKey(), &EcKey()}) {
    const std::string pkcs8 = Pkcs8Pem(key->get());
    const std::string traditional = TraditionalPem(key->get());
    EXPECT_NE(pkcs8.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    EXPECT_NE(traditional.find(key->is_rsa() ? "-----BEGIN RSA PRIVATE KEY-----"
                                             : "-----BEGIN EC PRIVATE KEY-----"),
              std::string::npos);
    std::string crlf = pkcs8;
    for (std::size_t at = 0; (at = crlf.find('\n', at)) != std::string::npos; at += 2) {
      crlf.replace(at, 1, "\r\n");
    }
    for (const std::string& pem :
         {pkcs8, traditional, std::string("\n  ") + pkcs8 + "\n\n", crlf}) {
      auto imported = KeyPair::FromPrivateKey(pem);
      ASSERT_TRUE(imported) << imported.error() << "\n" << pem;
      EXPECT_EQ(imported->PublicKeyDer(), key->PublicKeyDer());
    }
  }
}

TEST(KeyPair, ImportsEcKeyWithParametersBlockAndP384) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_Parameters(bio.get(), EcKey().get()), 1);
  const std::string with_parameters = BioText(bio.get()) + TraditionalPem(EcKey().get());
  ASSERT_NE(with_parameters.find("EC PARAMETERS"), std::string::npos);
  auto imported = KeyPair::FromPrivateKey(with_parameters);
  ASSERT_TRUE(imported) << imported.error();
  EXPECT_EQ(imported->PublicKeyDer(), EcKey().PublicKeyDer());

  EvpPkeyPtr p384 = RawEcKey("P-384");
  auto key = KeyPair::FromPrivateKey(Pkcs8Der(p384.get()));
  ASSERT_TRUE(key) << key.error();
  EXPECT_EQ(key->bits(), 384);
}

TEST(KeyPair, RefusesGarbageAndTruncated) {
  const std::string der = EcKey().PrivateKeyDer();
  const std::string pem = Pkcs8Pem(EcKey().get());
  const std::string end = "-----END PRIVATE KEY-----";
  std::string bad_base64 = pem;
  bad_base64[40] = '!';
  const std::string cases[] = {
      "",
      "garbage",
      std::string(100, '\0'),
      der.substr(0, der.size() - 1),
      der.substr(0, 10),
      der + "x",
      pem.substr(0, pem.find(end)),         // no END line
      pem.substr(0, pem.size() / 2) + end,  // body cut short
      bad_base64,
      pem + "trailing text",
      pem + pem,  // two keys
      "\x30\x03\x02\x01\x00",
  };
  for (const std::string& input : cases) {
    auto key = KeyPair::FromPrivateKey(input);
    EXPECT_FALSE(key) << input;
    if (!key) {
      EXPECT_FALSE(key.error().empty());
    }
  }
  EXPECT_NE(KeyPair::FromPrivateKey(der.substr(0, der.size() - 1)).error().find("truncated"),
            std::string::npos);
  EXPECT_NE(KeyPair::FromPrivateKey(der + "x").error().find("trailing"), std::string::npos);
  // A certificate is not a key.
  EXPECT_FALSE(KeyPair::FromPrivateKey(CertPem(SelfSigned(EcKey()))));
}

TEST(KeyPair, RefusesShortRsaOtherCurvesAndTypes) {
  EvpPkeyPtr rsa1024 = RawKey("RSA", 1024);
  ASSERT_TRUE(rsa1024);
  for (const std::string& input : {Pkcs8Der(rsa1024.get()), TraditionalPem(rsa1024.get())}) {
    auto key = KeyPair::FromPrivateKey(input);
    ASSERT_FALSE(key);
    EXPECT_NE(key.error().find("1024"), std::string::npos) << key.error();
    EXPECT_NE(key.error().find("2048"), std::string::npos) << key.error();
  }
  EvpPkeyPtr k256 = RawEcKey("secp256k1");
  ASSERT_TRUE(k256);
  auto key = KeyPair::FromPrivateKey(Pkcs8Der(k256.get()));
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().find("secp256k1"), std::string::npos) << key.error();

  EvpPkeyPtr ed25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  ASSERT_TRUE(ed25519);
  key = KeyPair::FromPrivateKey(Pkcs8Der(ed25519.get()));
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().find("ED25519"), std::string::npos) << key.error();
}

TEST(KeyPair, RefusesEncrypted) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  static char password[] = "secret";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), EcKey().get(), EVP_aes_256_cbc(), password, 6,
                                          nullptr, nullptr),
            1);
  const std::string pkcs8_pem = BioText(bio.get());
  ASSERT_NE(pkcs8_pem.find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  BioPtr der_bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(i2d_PKCS8PrivateKey_bio(der_bio.get(), EcKey().get(), EVP_aes_256_cbc(), password, 6,
                                    nullptr, nullptr),
            1);
  const std::string pkcs8_der = BioText(der_bio.get());
  const std::string traditional = TraditionalPem(RsaKey().get(), EVP_aes_128_cbc());
  ASSERT_NE(traditional.find("Proc-Type: 4,ENCRYPTED"), std::string::npos);
  for (const std::string& input : {pkcs8_pem, pkcs8_der, traditional}) {
    auto key = KeyPair::FromPrivateKey(input);
    ASSERT_FALSE(key);
    EXPECT_NE(key.error().find("encrypted"), std::string::npos) << key.error();
  }
}

TEST(KeyPair, RefusesMismatchedHalves) {
  // Key A's PKCS#8 with key B's public point (the last 65 bytes of an
  // OpenSSL P-256 PKCS#8): well-formed, but the halves disagree.
  std::string a = EcKey().PrivateKeyDer();
  EvpPkeyPtr other = RawEcKey("P-256");
  const std::string b = Pkcs8Der(other.get());
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a[a.size() - 65], '\x04');
  a.replace(a.size() - 64, 64, b.substr(b.size() - 64));
  auto key = KeyPair::FromPrivateKey(a);
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().find("inconsistent"), std::string::npos) << key.error();
}

// --------------------------------------------------------- X509Certificate

TEST(X509Certificate, SelfSignedRsaVerifiesAndReportsFacts) {
  const X509Certificate cert = SelfSigned(RsaKey());
  X509Ptr x = FromDer(cert.Der());
  ASSERT_TRUE(x);
  EXPECT_EQ(X509_verify(x.get(), RsaKey().get()), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(x.get()), X509_get_issuer_name(x.get())), 0);
  // RFC 4514 order: the text's first RDN is the name's last.
  const X509_NAME* subject = X509_get_subject_name(x.get());
  ASSERT_EQ(X509_NAME_entry_count(subject), 2);
  EXPECT_EQ(OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(subject, 0))),
            NID_organizationName);
  EXPECT_EQ(Rfc2253(subject), "CN=cam1,O=Acme");
  EXPECT_TRUE(IsCriticalExtension(x.get(), NID_basic_constraints));
  EXPECT_NE(X509_get0_subject_key_id(x.get()), nullptr);
  EXPECT_FALSE(cert.is_ca());

  const CertificateFacts facts = cert.Facts();
  EXPECT_EQ(facts.subject_dn, "CN=cam1,O=Acme");
  EXPECT_EQ(facts.issuer_dn, "CN=cam1,O=Acme");
  EXPECT_EQ(facts.version, 3);
  EXPECT_EQ(facts.key_bits, 2048);
  EXPECT_EQ(facts.signature_algorithm, "sha256WithRSAEncryption");
  EXPECT_TRUE(facts.has_key_usage);
  EXPECT_TRUE(facts.key_usage_critical);
  EXPECT_EQ(facts.key_usage, "digitalSignature keyEncipherment");
  EXPECT_TRUE(facts.has_extended_key_usage);
  EXPECT_FALSE(facts.extended_key_usage_critical);
  EXPECT_EQ(facts.extended_key_usage, "serverAuth clientAuth");
  // Validity as asked, to the second.
  EXPECT_EQ(facts.not_before, At(std::chrono::year(2024) / 1 / 2, 3h + 4min + 5s));
  EXPECT_EQ(facts.not_after, At(std::chrono::year(2060) / 12 / 31, 23h + 59min + 59s));

  // Serial: positive, at most 128 bits, the hex form of the encoded number.
  const ASN1_INTEGER* serial = X509_get0_serialNumber(x.get());
  EXPECT_EQ(ASN1_STRING_type(serial), V_ASN1_INTEGER);
  OpenSslPtr<BIGNUM, BN_free> number(ASN1_INTEGER_to_BN(serial, nullptr));
  EXPECT_LE(BN_num_bits(number.get()), 128);
  char* hex = BN_bn2hex(number.get());
  EXPECT_EQ(facts.serial, hex);
  OPENSSL_free(hex);
  EXPECT_TRUE(std::regex_match(facts.serial, std::regex("([0-9A-F]{2})+")));
  EXPECT_FALSE(facts.serial.starts_with("00"));
  EXPECT_NE(SelfSigned(RsaKey()).Facts().serial, facts.serial);
}

TEST(X509Certificate, SelfSignedEc) {
  const X509Certificate cert = SelfSigned(EcKey(), "camera 1");
  X509Ptr x = FromDer(cert.Der());
  ASSERT_TRUE(x);
  EXPECT_EQ(X509_verify(x.get(), EcKey().get()), 1);
  const CertificateFacts facts = cert.Facts();
  EXPECT_EQ(facts.subject_dn, "CN=camera 1");
  EXPECT_EQ(facts.issuer_dn, facts.subject_dn);
  EXPECT_EQ(facts.signature_algorithm, "ecdsa-with-SHA256");
  EXPECT_EQ(facts.key_bits, 256);
  EXPECT_EQ(facts.version, 3);
  EXPECT_TRUE(facts.key_usage_critical);
  EXPECT_EQ(facts.key_usage, "digitalSignature");
  EXPECT_EQ(facts.extended_key_usage, "serverAuth clientAuth");
}

TEST(X509Certificate, SelfSignedRefusesBadRequests) {
  SelfSignedRequest request = Request("CN=cam1");
  request.not_after = request.not_before;
  EXPECT_FALSE(X509Certificate::SelfSigned(EcKey(), request));
  request.not_after = request.not_before - 1h;
  EXPECT_FALSE(X509Certificate::SelfSigned(EcKey(), request));
  // Within the same second is no validity at all.
  request.not_after = std::chrono::floor<std::chrono::seconds>(request.not_before) + 1s - 1ns;
  EXPECT_FALSE(X509Certificate::SelfSigned(EcKey(), request));
  auto bad_subject = X509Certificate::SelfSigned(EcKey(), Request("XX=1"));
  ASSERT_FALSE(bad_subject);
  EXPECT_NE(bad_subject.error().find("XX"), std::string::npos) << bad_subject.error();
}

TEST(X509Certificate, ParsesDerAndPem) {
  const X509Certificate cert = SelfSigned(RsaKey());
  const std::string der = cert.Der();
  auto from_der = X509Certificate::Parse(der);
  ASSERT_TRUE(from_der) << from_der.error();
  EXPECT_EQ(from_der->Der(), der);
  const std::string pem = CertPem(cert);
  for (const std::string& text : {pem, std::string(" \n\t") + pem + "\n\n "}) {
    auto from_pem = X509Certificate::Parse(text);
    ASSERT_TRUE(from_pem) << from_pem.error();
    EXPECT_EQ(from_pem->Der(), der);
    EXPECT_EQ(from_pem->Facts().serial, cert.Facts().serial);
  }
}

TEST(X509Certificate, ParseRefusesGarbageTruncatedAndTrailing) {
  const X509Certificate cert = SelfSigned(EcKey());
  const std::string der = cert.Der();
  const std::string pem = CertPem(cert);
  auto expect_error = [](std::string_view input, std::string_view words) {
    auto parsed = X509Certificate::Parse(input);
    ASSERT_FALSE(parsed) << words;
    EXPECT_NE(parsed.error().find(words), std::string::npos) << parsed.error();
  };
  expect_error("", "not a DER or PEM certificate");
  expect_error("hello, world", "not a DER or PEM certificate");
  expect_error(der.substr(0, der.size() - 1), "truncated");
  expect_error(der.substr(0, 3), "truncated");
  expect_error(der + '\0', "trailing");
  expect_error(std::string("\x30\x03\x02\x01\x05", 5), "not a valid X.509 certificate");
  expect_error(pem.substr(0, pem.size() - 10), "truncated");
  expect_error(pem + "junk", "unexpected text");
  expect_error(std::string("junk") + pem, "not a DER or PEM certificate");
  expect_error(pem + pem, "one PEM certificate");
  expect_error(Pkcs8Pem(EcKey().get()), "not a certificate");
  std::string bad_base64 = pem;
  bad_base64[50] = '*';
  expect_error(bad_base64, "base64");
}

TEST(X509Certificate, ParseAllReadsBundle) {
  const X509Certificate first = SelfSigned(RsaKey(), "CN=one");
  const X509Certificate second = SelfSigned(EcKey(), "CN=two");
  auto bundle = X509Certificate::ParseAll(CertPem(first) + "\n" + CertPem(second));
  ASSERT_TRUE(bundle) << bundle.error();
  ASSERT_EQ(bundle->size(), 2u);
  EXPECT_EQ((*bundle)[0].Der(), first.Der());
  EXPECT_EQ((*bundle)[1].Der(), second.Der());
  EXPECT_EQ((*bundle)[1].Facts().subject_dn, "CN=two");

  auto single = X509Certificate::ParseAll(first.Der());
  ASSERT_TRUE(single) << single.error();
  ASSERT_EQ(single->size(), 1u);
  EXPECT_EQ(single->front().Der(), first.Der());

  // All or nothing.
  auto with_key = X509Certificate::ParseAll(CertPem(first) + Pkcs8Pem(EcKey().get()));
  ASSERT_FALSE(with_key);
  EXPECT_NE(with_key.error().find("certificate 2"), std::string::npos) << with_key.error();
  EXPECT_FALSE(X509Certificate::ParseAll(""));
  EXPECT_FALSE(X509Certificate::ParseAll(first.Der() + first.Der()));
}

TEST(X509Certificate, MatchesOwnKeyOnly) {
  const X509Certificate cert = SelfSigned(RsaKey());
  EXPECT_TRUE(cert.Matches(RsaKey()));
  EXPECT_EQ(cert.PublicKeyDer(), RsaKey().PublicKeyDer());
  EXPECT_FALSE(cert.Matches(EcKey()));
  auto other = KeyPair::Generate(KeyAlgorithm::kEcP256);
  ASSERT_TRUE(other) << other.error();
  const X509Certificate ec_cert = SelfSigned(EcKey());
  EXPECT_TRUE(ec_cert.Matches(EcKey()));
  EXPECT_FALSE(ec_cert.Matches(*other));
  EXPECT_NE(ec_cert.PublicKeyDer(), other->PublicKeyDer());
}

TEST(X509Certificate, CopiesAndMovesShareOneCertificate) {
  X509Certificate cert = SelfSigned(EcKey());
  X509Certificate copy = cert;
  EXPECT_EQ(copy.get(), cert.get());
  X509Certificate moved = std::move(cert);
  EXPECT_EQ(moved.get(), copy.get());
  copy = SelfSigned(EcKey(), "CN=other");
  EXPECT_NE(copy.get(), moved.get());
  EXPECT_EQ(moved.Facts().subject_dn, "CN=cam1,O=Acme");
  copy = moved;
  EXPECT_EQ(copy.Der(), moved.Der());
}

TEST(X509Certificate, CaCertificateFacts) {
  auto ca = X509Certificate::Parse(MakeCertDer(EcKey(), true));
  ASSERT_TRUE(ca) << ca.error();
  EXPECT_TRUE(ca->is_ca());
  const CertificateFacts facts = ca->Facts();
  EXPECT_EQ(facts.subject_dn, "CN=Test CA");
  EXPECT_EQ(facts.version, 3);
  EXPECT_EQ(facts.serial, "FF");
  EXPECT_EQ(facts.key_usage, "keyCertSign cRLSign");
  EXPECT_TRUE(facts.key_usage_critical);
  EXPECT_EQ(facts.extended_key_usage, "serverAuth 1.3.6.1.4.1.99999.1");
  EXPECT_EQ(facts.not_before, At(std::chrono::year(2024) / 1 / 1));
  // 9999-12-31 is past what system_clock can count: clamped.
  EXPECT_EQ(facts.not_after, Clock::time_point::max());

  auto v1 = X509Certificate::Parse(MakeCertDer(RsaKey(), false));
  ASSERT_TRUE(v1) << v1.error();
  EXPECT_FALSE(v1->is_ca());
  const CertificateFacts v1_facts = v1->Facts();
  EXPECT_EQ(v1_facts.version, 1);
  EXPECT_FALSE(v1_facts.has_key_usage);
  EXPECT_FALSE(v1_facts.has_extended_key_usage);
  EXPECT_EQ(v1_facts.key_usage, "");
  EXPECT_EQ(v1_facts.signature_algorithm, "sha256WithRSAEncryption");
}

// ------------------------------------------------------- subject strings

TEST(X509DistinguishedName, AcceptsAttributesEscapesAndPlainText) {
  const std::pair<const char*, const char*> cases[] = {
      {"CN=cam1,O=Acme", "CN=cam1,O=Acme"},
      {" cn = cam1 , o = Acme ", "CN=cam1,O=Acme"},
      {"CN=cam\\, one,O=Acme\\, Inc.,C=DE", "CN=cam\\, one,O=Acme\\, Inc.,C=DE"},
      {"CN=a\\2Cb", "CN=a\\,b"},
      {"CN=\\ padded\\ ", "CN=\\ padded\\ "},
      {"CN=R\\+D", "CN=R\\+D"},
      {"CN=Kamera S\xC3\xBC"
       "d",
       "CN=Kamera S\xC3\xBC"
       "d"},
      {"CN=cam1,OU=Video,O=Acme,L=Berlin,ST=Berlin,C=DE",
       "CN=cam1,OU=Video,O=Acme,L=Berlin,ST=Berlin,C=DE"},
      {"emailAddress=a@b.example,serialNumber=42,DC=example,DC=com",
       "emailAddress=a@b.example,serialNumber=42,DC=example,DC=com"},
      {"camera 1", "CN=camera 1"},
      {"  Camera, lobby  ", "CN=Camera\\, lobby"},
  };
  for (const auto& [subject, expected] : cases) {
    EXPECT_TRUE(CheckDistinguishedName(subject)) << subject;
    auto cert = X509Certificate::SelfSigned(EcKey(), Request(subject));
    ASSERT_TRUE(cert) << subject << ": " << cert.error();
    EXPECT_EQ(cert->Facts().subject_dn, expected) << subject;
  }
}

TEST(X509DistinguishedName, RefusesBadSubjects) {
  const std::string cases[] = {
      "",
      "   ",
      "CN",
      "o",
      "=x",
      "XX=1",
      "CN=cam\\",
      "CN=",
      "CN=  ",
      "CN=a,",
      "CN=a,,O=b",
      "O=Acme,CN",
      "CN=a+OU=b",
      "CN=\\q",
      "C=DEU",
      std::string("CN=") + std::string(65, 'x'),
      "CN=a\x01"
      "b",
      "CN=a\\0Ab",
      "CN=\xFF\xFE",
      std::string(5000, 'x'),
  };
  for (const std::string& subject : cases) {
    auto status = CheckDistinguishedName(subject);
    EXPECT_FALSE(status) << subject;
    if (!status) {
      EXPECT_FALSE(status.error().empty());
    }
    EXPECT_FALSE(X509Certificate::SelfSigned(EcKey(), Request(subject))) << subject;
  }
  EXPECT_NE(CheckDistinguishedName("CN").error().find("no value"), std::string::npos);
  EXPECT_NE(CheckDistinguishedName("XX=1").error().find("unknown attribute"), std::string::npos);
  EXPECT_NE(CheckDistinguishedName("CN=cam\\").error().find("'\\'"), std::string::npos);
  EXPECT_EQ(CheckDistinguishedName(std::string("CN=") + std::string(64, 'x')).ok(), true);
}

// ----------------------------------------------------------------- PKCS#10

X509ReqPtr ParseRequest(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509ReqPtr request(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_EQ(p, reinterpret_cast<const unsigned char*>(der.data() + der.size()));
  return request;
}

std::string AttributeText(X509_REQ* request, int nid) {
  const int index = X509_REQ_get_attr_by_NID(request, nid, -1);
  if (index < 0) return "(absent)";
  const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(X509_REQ_get_attr(request, index), 0);
  if (value == nullptr || value->value.asn1_string == nullptr) return "(no value)";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value->value.asn1_string)),
                     static_cast<std::size_t>(ASN1_STRING_length(value->value.asn1_string)));
}

TEST(Pkcs10Request, SignedRequestWithSubjectAndKey) {
  for (const KeyPair* key : {&RsaKey(), &EcKey()}) {
    auto der = MakePkcs10Request(*key, "CN=cam1,O=Acme", "");
    ASSERT_TRUE(der) << der.error();
    X509ReqPtr request = ParseRequest(*der);
    ASSERT_TRUE(request);
    EXPECT_EQ(X509_REQ_verify(request.get(), key->get()), 1);
    EXPECT_EQ(X509_REQ_get_version(request.get()), X509_REQ_VERSION_1);
    EXPECT_EQ(Rfc2253(X509_REQ_get_subject_name(request.get())), "CN=cam1,O=Acme");
    EXPECT_EQ(ToDer(X509_REQ_get0_pubkey(request.get()), i2d_PUBKEY), key->PublicKeyDer());
    EXPECT_EQ(X509_REQ_get_signature_nid(request.get()),
              key->is_rsa() ? NID_sha256WithRSAEncryption : NID_ecdsa_with_SHA256);
    EXPECT_EQ(X509_REQ_get_attr_count(request.get()), 0);
  }
  auto plain = MakePkcs10Request(EcKey(), "camera 1", "");
  ASSERT_TRUE(plain) << plain.error();
  EXPECT_EQ(Rfc2253(X509_REQ_get_subject_name(ParseRequest(*plain).get())), "CN=camera 1");
}

TEST(Pkcs10Request, CarriesAttributes) {
  const std::string password = AttributeDer(NID_pkcs9_challengePassword, "open sesame");
  const std::string name = AttributeDer(NID_pkcs9_unstructuredName, "cam-1");
  ASSERT_FALSE(password.empty());

  auto one = MakePkcs10Request(RsaKey(), "CN=cam1", password);
  ASSERT_TRUE(one) << one.error();
  X509ReqPtr request = ParseRequest(*one);
  ASSERT_TRUE(request);
  EXPECT_EQ(X509_REQ_verify(request.get(), RsaKey().get()), 1);
  EXPECT_EQ(X509_REQ_get_attr_count(request.get()), 1);
  EXPECT_EQ(AttributeText(request.get(), NID_pkcs9_challengePassword), "open sesame");

  // SET OF Attribute (short lengths: both fit in 127 bytes).
  const std::string body = password + name;
  ASSERT_LT(body.size(), 128u);
  const std::string set = std::string(1, '\x31') + static_cast<char>(body.size()) + body;
  auto two = MakePkcs10Request(EcKey(), "CN=cam1", set);
  ASSERT_TRUE(two) << two.error();
  request = ParseRequest(*two);
  ASSERT_TRUE(request);
  EXPECT_EQ(X509_REQ_verify(request.get(), EcKey().get()), 1);
  EXPECT_EQ(X509_REQ_get_attr_count(request.get()), 2);
  EXPECT_EQ(AttributeText(request.get(), NID_pkcs9_challengePassword), "open sesame");
  EXPECT_EQ(AttributeText(request.get(), NID_pkcs9_unstructuredName), "cam-1");

  auto none = MakePkcs10Request(EcKey(), "CN=cam1", std::string("\x31\x00", 2));
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(X509_REQ_get_attr_count(ParseRequest(*none).get()), 0);
}

TEST(Pkcs10Request, RefusesBadAttributesAndSubjects) {
  const std::string password = AttributeDer(NID_pkcs9_challengePassword, "open sesame");
  const std::string cases[] = {
      "x",
      password + '\0',
      password.substr(0, password.size() - 1),
      std::string("\x02\x01\x05", 3),          // an INTEGER
      std::string("\x30\x03\x02\x01\x05", 5),  // a SEQUENCE, not an Attribute
      std::string("\x31\x03\x02\x01\x05", 5),  // a SET holding an INTEGER
      std::string("\x31") + std::string(1, static_cast<char>(password.size() + 1)) + password +
          '\0',
      // challengePassword with no value: SEQUENCE { OID, SET {} }.
      std::string("\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x07\x31\x00", 15),
  };
  for (const std::string& attributes : cases) {
    auto request = MakePkcs10Request(EcKey(), "CN=cam1", attributes);
    EXPECT_FALSE(request) << "case of " << attributes.size() << " bytes";
    if (!request) {
      EXPECT_FALSE(request.error().empty());
    }
  }
  for (const char* subject : {"CN", "=x", "XX=1", "CN=cam\\", ""}) {
    EXPECT_FALSE(MakePkcs10Request(EcKey(), subject, "")) << subject;
  }
}

}  // namespace
}  // namespace onvifgw::security

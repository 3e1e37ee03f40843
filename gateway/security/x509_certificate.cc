#include "security/x509_certificate.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <ctime>
#include <utility>

#include "core/hex.h"
#include "security/crypto_util.h"
#include "security/distinguished_name.h"
#include "security/openssl_ptr.h"
#include "security/pem_der.h"

namespace onvifgw::security {
namespace {

using Clock = std::chrono::system_clock;

constexpr std::size_t kSerialBytes = 16;

Expected<X509Ptr, std::string> FromDer(std::string_view der) {
  if (der.empty() || der.front() != 0x30) {
    return MakeUnexpected(std::string("not a DER or PEM certificate"));
  }
  auto element = ReadDerElement(der);
  if (!element) return MakeUnexpected(std::string("DER certificate: ") + element.error());
  if (element->whole.size() != der.size()) {
    return MakeUnexpected(std::string("trailing bytes after the DER certificate"));
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert)
    return MakeUnexpected(std::string("not a valid X.509 certificate (") + TakeOpenSslError() +
                          ")");
  return cert;
}

Expected<X509Ptr, std::string> FromPemBlock(const PemBlock& block) {
  if (block.label != "CERTIFICATE") {
    return MakeUnexpected(std::string("a PEM ") + block.label + " block is not a certificate");
  }
  return FromDer(block.der);
}

Status<std::string> SetTime(ASN1_TIME* field, Clock::time_point when) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(when.time_since_epoch());
  // ASN1_TIME_set picks UTCTime for 1950-2049 and GeneralizedTime otherwise (RFC 5280 §4.1.2.5).
  if (ASN1_TIME_set(field, static_cast<std::time_t>(seconds.count())) == nullptr) {
    return MakeUnexpected(std::string("cannot encode the validity time (") + TakeOpenSslError() +
                          ")");
  }
  return {};
}

Clock::time_point ToTimePoint(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    ERR_clear_error();
    return {};
  }
  using namespace std::chrono;
  const sys_days date = year(tm.tm_year + 1900) / month(static_cast<unsigned>(tm.tm_mon + 1)) /
                        day(static_cast<unsigned>(tm.tm_mday));
  const seconds since_epoch =
      date.time_since_epoch() + hours(tm.tm_hour) + minutes(tm.tm_min) + seconds(tm.tm_sec);
  // Clock counts nanoseconds in 64 bits: years 1678-2261 only.
  if (since_epoch >= floor<seconds>(Clock::time_point::max().time_since_epoch())) {
    return Clock::time_point::max();
  }
  if (since_epoch <= ceil<seconds>(Clock::time_point::min().time_since_epoch())) {
    return Clock::time_point::min();
  }
  return Clock::time_point(duration_cast<Clock::duration>(since_epoch));
}

std::string SerialHex(const ASN1_INTEGER* serial) {
  std::string_view bytes(reinterpret_cast<const char*>(ASN1_STRING_get0_data(serial)),
                         static_cast<std::size_t>(ASN1_STRING_length(serial)));
  while (bytes.size() > 1 && bytes.front() == '\0') bytes.remove_prefix(1);
  std::string hex = bytes.empty() ? std::string("00") : HexEncode(bytes, HexCase::kUpper);
  // Negative serials violate RFC 5280 but exist; show the sign, not a wrong number.
  return ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? std::string("-") + hex : hex;
}

std::string ObjectName(const ASN1_OBJECT* object, bool long_name) {
  const int nid = OBJ_obj2nid(object);
  if (nid != NID_undef) return long_name ? OBJ_nid2ln(nid) : OBJ_nid2sn(nid);
  std::array<char, 128> dotted{};
  OBJ_obj2txt(dotted.data(), static_cast<int>(dotted.size()), object, 1);
  return dotted.data();
}

// The first extension `nid` of `cert`: whether present and critical, and
// its decoded value (null if absent or malformed).
struct Extension {
  bool present = false;
  bool critical = false;
  void* value = nullptr;
};
Extension FindExtension(X509* cert, int nid) {
  Extension found;
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  if (index < 0) return found;
  X509_EXTENSION* extension = X509_get_ext(cert, index);
  found.present = true;
  found.critical = X509_EXTENSION_get_critical(extension) == 1;
  found.value = X509V3_EXT_d2i(extension);
  ERR_clear_error();
  return found;
}

std::string KeyUsageText(const ASN1_BIT_STRING* bits) {
  // RFC 5280 §4.2.1.3, in bit order.
  static constexpr std::array<const char*, 9> kNames = {
      "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
      "keyCertSign",      "cRLSign",        "encipherOnly",    "decipherOnly"};
  std::string text;
  for (std::size_t bit = 0; bit < kNames.size(); ++bit) {
    if (ASN1_BIT_STRING_get_bit(bits, static_cast<int>(bit)) == 1) {
      if (!text.empty()) text += ' ';
      text += kNames[bit];
    }
  }
  return text;
}

std::string ExtendedKeyUsageText(const EXTENDED_KEY_USAGE* usages) {
  std::string text;
  for (int i = 0; i < sk_ASN1_OBJECT_num(usages); ++i) {
    if (!text.empty()) text += ' ';
    text += ObjectName(sk_ASN1_OBJECT_value(usages, i), false);
  }
  return text;
}

Status<std::string> AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  // Issuer and subject are the certificate itself (subjectKeyIdentifier
  // "hash" reads the public key from the subject).
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return MakeUnexpected(std::string("cannot add extension ") + std::string(OBJ_nid2sn(nid)) +
                          " (" + TakeOpenSslError() + ")");
  }
  return {};
}

}  // namespace

X509Certificate::X509Certificate(const X509Certificate& other) : cert_(other.cert_) {
  if (cert_ != nullptr) X509_up_ref(cert_);
}

X509Certificate& X509Certificate::operator=(const X509Certificate& other) {
  if (this != &other) *this = X509Certificate(other);
  return *this;
}

X509Certificate::X509Certificate(X509Certificate&& other) noexcept
    : cert_(std::exchange(other.cert_, nullptr)) {}

X509Certificate& X509Certificate::operator=(X509Certificate&& other) noexcept {
  if (this != &other) {
    X509_free(cert_);
    cert_ = std::exchange(other.cert_, nullptr);
  }
  return *this;
}

X509Certificate::~X509Certificate() { X509_free(cert_); }

Expected<X509Certificate, std::string> X509Certificate::Parse(std::string_view der_or_pem) {
  if (!LooksLikePem(der_or_pem)) {
    auto cert = FromDer(der_or_pem);
    if (!cert) return MakeUnexpected(cert.error());
    return X509Certificate(cert->release());
  }
  auto blocks = ReadPemBlocks(der_or_pem);
  if (!blocks) return MakeUnexpected(blocks.error());
  if (blocks->size() != 1) {
    return MakeUnexpected(std::string("expected one PEM certificate, found ") +
                          std::to_string(blocks->size()) + " PEM blocks");
  }
  auto cert = FromPemBlock(blocks->front());
  if (!cert) return MakeUnexpected(cert.error());
  return X509Certificate(cert->release());
}

Expected<std::vector<X509Certificate>, std::string> X509Certificate::ParseAll(
    std::string_view der_or_pem) {
  std::vector<X509Certificate> certs;
  if (!LooksLikePem(der_or_pem)) {
    auto cert = Parse(der_or_pem);
    if (!cert) return MakeUnexpected(cert.error());
    certs.push_back(std::move(*cert));
    return certs;
  }
  auto blocks = ReadPemBlocks(der_or_pem);
  if (!blocks) return MakeUnexpected(blocks.error());
  for (const PemBlock& block : *blocks) {
    auto cert = FromPemBlock(block);
    if (!cert) {
      return MakeUnexpected(std::string("certificate ") + std::to_string(certs.size() + 1) + ": " +
                            cert.error());
    }
    certs.push_back(X509Certificate(cert->release()));
  }
  return certs;
}

Expected<X509Certificate, std::string> X509Certificate::SelfSigned(
    const KeyPair& key, const SelfSignedRequest& request) {
  using std::chrono::floor;
  using std::chrono::seconds;
  if (floor<seconds>(request.not_after) <= floor<seconds>(request.not_before)) {
    return MakeUnexpected(std::string("not_after must be later than not_before"));
  }
  X509NamePtr name(X509_NAME_new());
  if (!name) return MakeUnexpected(std::string("out of memory"));
  if (auto ok = AppendDistinguishedName(request.subject, name.get()); !ok) {
    return MakeUnexpected(ok.error());
  }
  X509Ptr cert(X509_new());
  if (!cert) return MakeUnexpected(std::string("out of memory"));

  // A positive serial of 128 random bits (RFC 5280 allows up to 20 octets);
  // randomness keeps certificates made in the same second apart.
  std::string serial;
  do {
    serial = RandomBytes(kSerialBytes);
  } while (serial.find_first_not_of('\0') == std::string::npos);
  OpenSslPtr<BIGNUM, BN_free> number(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()),
                static_cast<int>(serial.size()), nullptr));
  if (!number || BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert.get())) == nullptr ||
      X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), name.get()) != 1 ||
      X509_set_pubkey(cert.get(), key.get()) != 1) {
    return MakeUnexpected(std::string("cannot build the certificate (") + TakeOpenSslError() + ")");
  }
  for (auto ok : {SetTime(X509_getm_notBefore(cert.get()), request.not_before),
                  SetTime(X509_getm_notAfter(cert.get()), request.not_after)}) {
    if (!ok) return MakeUnexpected(ok.error());
  }
  const char* key_usage =
      key.is_rsa() ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature";
  for (auto ok : {AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"),
                  AddExtension(cert.get(), NID_key_usage, key_usage),
                  AddExtension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth"),
                  AddExtension(cert.get(), NID_subject_key_identifier, "hash")}) {
    if (!ok) return MakeUnexpected(ok.error());
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return MakeUnexpected(std::string("cannot sign the certificate (") + TakeOpenSslError() + ")");
  }
  return X509Certificate(cert.release());
}

std::string X509Certificate::Der() const { return ToDer(cert_, i2d_X509); }

std::string X509Certificate::PublicKeyDer() const {
  return ToDer(X509_get_X509_PUBKEY(cert_), i2d_X509_PUBKEY);
}

bool X509Certificate::Matches(const KeyPair& key) const {
  const EVP_PKEY* public_key = X509_get0_pubkey(cert_);
  const bool same = public_key != nullptr && EVP_PKEY_eq(public_key, key.get()) == 1;
  ERR_clear_error();
  return same;
}

CertificateFacts X509Certificate::Facts() const {
  CertificateFacts facts;
  facts.issuer_dn = FormatDistinguishedName(X509_get_issuer_name(cert_));
  facts.subject_dn = FormatDistinguishedName(X509_get_subject_name(cert_));

  const Extension key_usage = FindExtension(cert_, NID_key_usage);
  facts.has_key_usage = key_usage.present;
  facts.key_usage_critical = key_usage.critical;
  if (auto* bits = static_cast<ASN1_BIT_STRING*>(key_usage.value)) {
    facts.key_usage = KeyUsageText(bits);
    ASN1_BIT_STRING_free(bits);
  }
  const Extension extended = FindExtension(cert_, NID_ext_key_usage);
  facts.has_extended_key_usage = extended.present;
  facts.extended_key_usage_critical = extended.critical;
  if (auto* usages = static_cast<EXTENDED_KEY_USAGE*>(extended.value)) {
    facts.extended_key_usage = ExtendedKeyUsageText(usages);
    EXTENDED_KEY_USAGE_free(usages);
  }

  const EVP_PKEY* public_key = X509_get0_pubkey(cert_);
  facts.key_bits = public_key != nullptr ? EVP_PKEY_get_bits(public_key) : 0;
  facts.version = static_cast<int>(X509_get_version(cert_)) + 1;
  facts.serial = SerialHex(X509_get0_serialNumber(cert_));
  const X509_ALGOR* algorithm = nullptr;
  X509_get0_signature(nullptr, &algorithm, cert_);
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
  facts.signature_algorithm = ObjectName(oid, true);
  facts.not_before = ToTimePoint(X509_get0_notBefore(cert_));
  facts.not_after = ToTimePoint(X509_get0_notAfter(cert_));
  ERR_clear_error();  // an unreadable public key leaves entries behind
  return facts;
}

bool X509Certificate::is_ca() const { return (X509_get_extension_flags(cert_) & EXFLAG_CA) != 0; }

Status<std::string> CheckDistinguishedName(std::string_view subject) {
  X509NamePtr name(X509_NAME_new());
  if (!name) return MakeUnexpected(std::string("out of memory"));
  return AppendDistinguishedName(subject, name.get());
}

}  // namespace onvifgw::security

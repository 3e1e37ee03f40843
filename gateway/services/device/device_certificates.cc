#include "services/device/device_certificates.h"

#include <algorithm>
#include <set>

#include "security/pkcs10_request.h"
#include "security/secret_box.h"

namespace onvifgw::services::device {
namespace {

using soap::Fault;

// Security service faults (ONVIF Security, the certificate operations' home
// since they left Core) where Core named none.
Fault UnknownId(const std::string& id) {
  return soap::InvalidArgVal(
      std::string("No certificate is stored under CertificateID '") + id + "'", "CertificateID");
}
Fault TakenId(const std::string& id) {
  return soap::InvalidArgVal(std::string("CertificateID '") + id + "' is already in use",
                             "CertificateID");
}
Fault BadCertificate(const std::string& what, const std::string& why) {
  return soap::InvalidArgVal(what + " is not a DER or PEM X.509 certificate: " + why,
                             "BadCertificate");
}

const CertificateState::Certificate* FindCertificate(const CertificateState& s,
                                                     const std::string& id) {
  for (const auto& c : s.certificates()) {
    if (c.id() == id) return &c;
  }
  return nullptr;
}

const CertificateState::KeyPair* FindKey(const CertificateState& s, const std::string& id) {
  for (const auto& k : s.keys()) {
    if (k.id() == id) return &k;
  }
  return nullptr;
}

const CertificateState::KeyPair* KeyWithPublicKey(const CertificateState& s,
                                                  const std::string& public_key) {
  for (const auto& k : s.keys()) {
    if (k.public_key() == public_key) return &k;
  }
  return nullptr;
}

bool IdTaken(const CertificateState& s, const std::string& id) {
  if (FindCertificate(s, id) != nullptr || FindKey(s, id) != nullptr) return true;
  return std::any_of(s.ca_certificates().begin(), s.ca_certificates().end(),
                     [&](const auto& c) { return c.id() == id; });
}

// IDs are xs:token: no leading, trailing or doubled spaces, no tabs or line
// breaks, and (tt:ReferenceToken) at most 64 characters.
std::optional<Fault> CheckId(const std::string& id) {
  if (id.size() > 64) return soap::InvalidArgVal("CertificateID is longer than 64 characters");
  if (id.find_first_of("\t\r\n") != std::string::npos || id.starts_with(' ') || id.ends_with(' ') ||
      id.find("  ") != std::string::npos) {
    return soap::InvalidArgVal(std::string("CertificateID '") + id + "' is not a token");
  }
  return std::nullopt;
}

// An ID for something the client did not name: "cert-<n>", never one in use.
std::string ChooseId(CertificateState& s, const char* prefix) {
  for (;;) {
    s.set_next_id(s.next_id() + 1);
    std::string id = prefix + std::to_string(s.next_id());
    if (!IdTaken(s, id)) return id;
  }
}

// Either the ID asked for, free and well formed, or one the device chooses.
Expected<std::string, Fault> IdFor(CertificateState& s, const std::string& asked,
                                   const char* prefix) {
  if (asked.empty()) return ChooseId(s, prefix);
  if (auto bad = CheckId(asked)) return MakeUnexpected(*bad);
  if (IdTaken(s, asked)) return MakeUnexpected(TakenId(asked));
  return asked;
}

Fault TooManyCertificates() {
  return soap::ActionFailed("The device keeps at most " +
                                std::to_string(DeviceCertificates::kMaxCertificates) +
                                " certificates",
                            "MaximumNumberOfCertificatesReached");
}

}  // namespace

std::string DeviceCertificates::AssociatedData(const std::string& key_id) const {
  return std::string("device/") + device_id() + "/certificate-key/" + key_id;
}

std::optional<Fault> DeviceCertificates::AddKey(CertificateState& s, const std::string& id,
                                                const security::KeyPair& key) const {
  if (s.keys_size() >= kMaxKeys) {
    return soap::ActionFailed(
        std::string("The device keeps at most ") + std::to_string(kMaxKeys) + " key pairs",
        "MaximumNumberOfKeysReached");
  }
  auto* k = s.add_keys();
  k->set_id(id);
  k->set_public_key(key.PublicKeyDer());
  if (secrets_ == nullptr) {
    k->set_sealed_private_key(key.PrivateKeyDer());
    return std::nullopt;
  }
  auto sealed = secrets_->Seal(key.PrivateKeyDer(), AssociatedData(id));
  if (!sealed) return soap::ActionFailed("The key pair could not be sealed");
  k->set_sealed_private_key(*sealed);
  return std::nullopt;
}

Expected<std::string, Fault> DeviceCertificates::PrivateKeyOf(const CertificateState& s,
                                                              const std::string& key_id) const {
  const auto* k = FindKey(s, key_id);
  if (k == nullptr) return MakeUnexpected(soap::ActionFailed("The key pair is missing"));
  if (secrets_ == nullptr) return k->sealed_private_key();
  auto opened = secrets_->Open(k->sealed_private_key(), AssociatedData(key_id));
  if (!opened) {
    log::Error(key(),
               std::string("device ") + device_id() + ": key pair " + key_id + " cannot be opened");
    return MakeUnexpected(soap::ActionFailed("The key pair cannot be read"));
  }
  return std::move(opened).value();
}

Expected<DeviceCertificates::Entry, Fault> DeviceCertificates::CreateSelfSigned(
    const NewSelfSigned& request) {
  if (auto st = security::CheckDistinguishedName(request.subject); !st) {
    return MakeUnexpected(soap::InvalidArgVal(std::string("Subject: ") + st.error()));
  }
  if (request.not_after <= request.not_before) {
    return MakeUnexpected(soap::InvalidArgVal("ValidNotAfter is not after ValidNotBefore"));
  }
  // The key is made outside the lock (RSA 2048 takes tens of
  // milliseconds); the ID is checked again when it is stored.
  auto key = security::KeyPair::Generate(request.algorithm);
  if (!key) {
    return MakeUnexpected(soap::ActionFailed(std::string("Key generation failed: ") + key.error(),
                                             "CertificateCreationFailed"));
  }
  security::SelfSignedRequest cert_request{
      .subject = request.subject, .not_before = request.not_before, .not_after = request.not_after};
  auto cert = security::X509Certificate::SelfSigned(*key, cert_request);
  if (!cert) {
    return MakeUnexpected(
        soap::ActionFailed(std::string("The certificate could not be made: ") + cert.error(),
                           "CertificateCreationFailed"));
  }
  Entry made;
  auto st = Change([&](CertificateState& s) -> std::optional<Fault> {
    if (s.certificates_size() >= kMaxCertificates) return TooManyCertificates();
    auto id = IdFor(s, request.id, "cert-");
    if (!id) return id.error();
    if (auto fault = AddKey(s, *id, *key)) return fault;
    auto* c = s.add_certificates();
    c->set_id(*id);
    c->set_der(cert->Der());
    c->set_key_id(*id);
    made = {*id, c->der()};
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return made;
}

std::vector<DeviceCertificates::Entry> DeviceCertificates::Certificates() const {
  std::vector<Entry> out;
  const CertificateState s = Current();
  for (const auto& c : s.certificates()) out.push_back({c.id(), c.der()});
  return out;
}

std::vector<DeviceCertificates::CertificateStatus> DeviceCertificates::Statuses() const {
  std::vector<CertificateStatus> out;
  const CertificateState s = Current();
  for (const auto& c : s.certificates()) out.push_back({c.id(), c.enabled()});
  return out;
}

Status<Fault> DeviceCertificates::SetStatuses(const std::vector<CertificateStatus>& statuses) {
  return Change([&](CertificateState& s) -> std::optional<Fault> {
    for (const auto& wanted : statuses) {
      auto it = std::find_if(s.mutable_certificates()->begin(), s.mutable_certificates()->end(),
                             [&](const auto& c) { return c.id() == wanted.id; });
      if (it == s.mutable_certificates()->end()) return UnknownId(wanted.id);
      it->set_enabled(wanted.enabled);
    }
    const auto enabled = std::count_if(s.certificates().begin(), s.certificates().end(),
                                       [](const auto& c) { return c.enabled(); });
    if (enabled > 1) {
      return soap::InvalidArgVal("Only one server certificate can be enabled at a time");
    }
    return std::nullopt;
  });
}

Status<Fault> DeviceCertificates::Delete(const std::vector<std::string>& ids) {
  const int keys_before = Current().keys_size();
  auto st = Change([&](CertificateState& s) -> std::optional<Fault> {
    const std::set<std::string> doomed(ids.begin(), ids.end());
    for (const auto& id : doomed) {
      if (FindCertificate(s, id) == nullptr &&
          std::none_of(s.ca_certificates().begin(), s.ca_certificates().end(),
                       [&](const auto& c) { return c.id() == id; })) {
        return UnknownId(id);
      }
    }
    auto* certs = s.mutable_certificates();
    certs->erase(std::remove_if(certs->begin(), certs->end(),
                                [&](const auto& c) { return doomed.contains(c.id()); }),
                 certs->end());
    auto* cas = s.mutable_ca_certificates();
    cas->erase(std::remove_if(cas->begin(), cas->end(),
                              [&](const auto& c) { return doomed.contains(c.id()); }),
               cas->end());
    // A key pair no certificate is left on goes with them: nothing could
    // name it any more.
    auto* keys = s.mutable_keys();
    keys->erase(std::remove_if(keys->begin(), keys->end(),
                               [&](const auto& k) {
                                 return std::none_of(
                                     s.certificates().begin(), s.certificates().end(),
                                     [&](const auto& c) { return c.key_id() == k.id(); });
                               }),
                keys->end());
    if (s.ca_certificates_size() == 0 && s.client_certificate_mode()) {
      // Dropping the last CA would let clients in without a certificate.
      return soap::InvalidArgVal(
          "HTTPS requires client certificates issued by these CA certificates: switch "
          "SetClientCertificateMode off before deleting the last one");
    }
    return std::nullopt;
  });
  // A deleted key is gone from disk, not only from the current row.
  if (st && store() != nullptr && Current().keys_size() < keys_before) {
    if (auto erased = store()->EraseOldVersions(); !erased) {
      log::Error(key(), std::string("device ") + device_id() + ": " + erased.error());
    }
  }
  return st;
}

Expected<std::string, Fault> DeviceCertificates::Pkcs10Request(
    const std::string& id, const std::string& subject, const std::string& attributes) const {
  const CertificateState s = Current();
  const auto* c = FindCertificate(s, id);
  if (c == nullptr) return MakeUnexpected(UnknownId(id));
  if (!subject.empty()) {
    if (auto st = security::CheckDistinguishedName(subject); !st) {
      return MakeUnexpected(soap::InvalidArgVal(std::string("Subject: ") + st.error()));
    }
  }
  auto private_key = PrivateKeyOf(s, c->key_id());
  if (!private_key) return MakeUnexpected(private_key.error());
  auto key = security::KeyPair::FromPrivateKey(*private_key);
  if (!key) return MakeUnexpected(soap::ActionFailed("The key pair cannot be read"));
  // No subject: the certificate's own, copied as it is.
  auto cert = security::X509Certificate::Parse(c->der());
  if (!cert) return MakeUnexpected(soap::ActionFailed("The stored certificate is unreadable"));
  auto request = subject.empty() ? security::MakePkcs10Request(*key, *cert, attributes)
                                 : security::MakePkcs10Request(*key, subject, attributes);
  if (!request)
    return MakeUnexpected(soap::InvalidArgVal(std::string("Attributes: ") + request.error()));
  return std::move(request).value();
}

Status<Fault> DeviceCertificates::LoadForKeyPairs(const std::vector<Entry>& certificates) {
  // Parsed before the lock, so that a bad one is refused before anything.
  std::vector<security::X509Certificate> parsed;
  for (const auto& e : certificates) {
    auto cert = security::X509Certificate::Parse(e.der);
    if (!cert)
      return MakeUnexpected(
          BadCertificate(std::string("Certificate '") + e.id + "'", cert.error()));
    parsed.push_back(std::move(cert).value());
  }
  return Change([&](CertificateState& s) -> std::optional<Fault> {
    std::set<std::string> named;
    for (std::size_t i = 0; i < certificates.size(); ++i) {
      const std::string public_key = parsed[i].PublicKeyDer();
      const auto* key = KeyWithPublicKey(s, public_key);
      if (key == nullptr) {
        return soap::ActionFailed(std::string("Certificate '") + certificates[i].id +
                                      "' carries the public key of no key pair on the device",
                                  "NoMatchingPrivateKey");
      }
      const std::string key_id = key->id();
      std::string id = certificates[i].id;
      if (!id.empty() && !named.insert(id).second) {
        return soap::InvalidArgVal(std::string("CertificateID '") + id + "' is named twice");
      }
      auto it = std::find_if(s.mutable_certificates()->begin(), s.mutable_certificates()->end(),
                             [&](const auto& c) { return !id.empty() && c.id() == id; });
      if (it != s.mutable_certificates()->end()) {
        // The same ID for the same key pair: the certificate a CA signed
        // replaces the self-signed one (and serves HTTPS if that did).
        if (it->key_id() != key_id) return TakenId(id);
        it->set_der(parsed[i].Der());
        continue;
      }
      auto chosen = IdFor(s, id, "cert-");
      if (!chosen) return chosen.error();
      if (s.certificates_size() >= kMaxCertificates) return TooManyCertificates();
      auto* c = s.add_certificates();
      c->set_id(*chosen);
      c->set_der(parsed[i].Der());
      c->set_key_id(key_id);
    }
    return std::nullopt;
  });
}

Status<Fault> DeviceCertificates::LoadWithPrivateKeys(const std::vector<WithPrivateKey>& entries) {
  std::vector<std::pair<security::X509Certificate, security::KeyPair>> parsed;
  for (const auto& e : entries) {
    const std::string what =
        e.id.empty() ? std::string("Certificate") : std::string("Certificate '") + e.id + "'";
    auto cert = security::X509Certificate::Parse(e.certificate);
    if (!cert) return MakeUnexpected(BadCertificate(what, cert.error()));
    auto key = security::KeyPair::FromPrivateKey(e.private_key);
    if (!key) {
      return MakeUnexpected(soap::InvalidArgVal(std::string("The private key of ") + what +
                                                " is refused: " + key.error()));
    }
    if (!cert->Matches(*key)) {
      return MakeUnexpected(soap::InvalidArgVal(
          std::string("The private key does not match the public key of ") + what,
          "PublicPrivateKeyMismatch"));
    }
    parsed.emplace_back(std::move(cert).value(), std::move(key).value());
  }
  return Change([&](CertificateState& s) -> std::optional<Fault> {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      auto id = IdFor(s, entries[i].id, "cert-");
      if (!id) return id.error();
      if (s.certificates_size() >= kMaxCertificates) return TooManyCertificates();
      const auto& [cert, key] = parsed[i];
      std::string key_id;
      if (const auto* known = KeyWithPublicKey(s, key.PublicKeyDer())) {
        key_id = known->id();
      } else {
        if (auto fault = AddKey(s, *id, key)) return fault;
        key_id = *id;
      }
      auto* c = s.add_certificates();
      c->set_id(*id);
      c->set_der(cert.Der());
      c->set_key_id(key_id);
    }
    return std::nullopt;
  });
}

std::vector<DeviceCertificates::Entry> DeviceCertificates::CaCertificates() const {
  std::vector<Entry> out;
  const CertificateState s = Current();
  for (const auto& c : s.ca_certificates()) out.push_back({c.id(), c.der()});
  return out;
}

Status<Fault> DeviceCertificates::LoadCa(const std::vector<Entry>& certificates) {
  std::vector<std::string> ders;
  for (const auto& e : certificates) {
    auto cert = security::X509Certificate::Parse(e.der);
    if (!cert) {
      return MakeUnexpected(
          BadCertificate(std::string("CA certificate '") + e.id + "'", cert.error()));
    }
    ders.push_back(cert->Der());
  }
  return Change([&](CertificateState& s) -> std::optional<Fault> {
    for (std::size_t i = 0; i < certificates.size(); ++i) {
      if (s.ca_certificates_size() >= kMaxCaCertificates) {
        return soap::ActionFailed(std::string("The device keeps at most ") +
                                      std::to_string(kMaxCaCertificates) + " CA certificates",
                                  "MaximumNumberOfCertificatesReached");
      }
      auto id = IdFor(s, certificates[i].id, "ca-");
      if (!id) return id.error();
      auto* c = s.add_ca_certificates();
      c->set_id(*id);
      c->set_der(ders[i]);
    }
    return std::nullopt;
  });
}

Expected<security::CertificateFacts, Fault> DeviceCertificates::Information(
    const std::string& id) const {
  const CertificateState s = Current();
  std::string der;
  if (const auto* c = FindCertificate(s, id)) der = c->der();
  for (const auto& c : s.ca_certificates()) {
    if (c.id() == id) der = c.der();
  }
  if (der.empty()) return MakeUnexpected(UnknownId(id));
  auto cert = security::X509Certificate::Parse(der);
  if (!cert) return MakeUnexpected(soap::ActionFailed("The stored certificate is unreadable"));
  return cert->Facts();
}

bool DeviceCertificates::ClientCertificateMode() const {
  return Current().client_certificate_mode();
}

Status<Fault> DeviceCertificates::SetClientCertificateMode(bool enabled) {
  return Change([&](CertificateState& s) -> std::optional<Fault> {
    if (enabled && s.ca_certificates_size() == 0) {
      return soap::ActionNotSupported(
          "Client certificates need a CA certificate to check them against "
          "(LoadCACertificates first)",
          "EnablingTlsFailed");
    }
    s.set_client_certificate_mode(enabled);
    return std::nullopt;
  });
}

bool DeviceCertificates::Has(const std::string& id, bool ca) const {
  const CertificateState s = Current();
  if (!ca) return FindCertificate(s, id) != nullptr;
  return std::any_of(s.ca_certificates().begin(), s.ca_certificates().end(),
                     [&](const auto& c) { return c.id() == id; });
}

std::optional<http::TlsServerCredentials> DeviceCertificates::ServerCredentials() const {
  return CredentialsIn(Current());
}

Status<Fault> DeviceCertificates::Change(
    const std::function<std::optional<Fault>(CertificateState&)>& change) {
  return Update([&](CertificateState& next) -> std::optional<Fault> {
    if (auto fault = change(next)) return fault;
    if (serving_check_) return serving_check_(next);
    return std::nullopt;
  });
}

std::optional<http::TlsServerCredentials> DeviceCertificates::CredentialsIn(
    const CertificateState& s) const {
  for (const auto& c : s.certificates()) {
    if (!c.enabled()) continue;
    auto key = PrivateKeyOf(s, c.key_id());
    if (!key) return std::nullopt;
    http::TlsServerCredentials out;
    out.certificate_der = c.der();
    out.private_key_der = std::move(key).value();
    out.require_client_certificate = s.client_certificate_mode();
    for (const auto& ca : s.ca_certificates()) out.client_ca_der.push_back(ca.der());
    return out;
  }
  return std::nullopt;
}

}  // namespace onvifgw::services::device

#pragma once
// A virtual device's key pairs and certificates (the certificate operations
// of devicemgmt.wsdl): key pairs made on board (CreateCertificate) or loaded
// with their certificate, certificates linked to the key pair whose public
// key they carry, CA certificates that client certificates must chain to,
// which server certificate HTTPS serves, and whether HTTPS clients need a
// certificate. Kept per device in the state store (StoredSetting, key
// "certificates"); a private key is kept only sealed with the gateway's
// secret key, never returned, never logged.
//
// Every change is all or nothing: a request naming one unknown ID, or one
// certificate that is unreadable, changes nothing.
//
// Thread-safe.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/tls_server_context.h"
#include "security/key_pair.h"
#include "security/x509_certificate.h"
#include "services/device/stored_setting.h"
#include "store/v1/certificate_state.pb.h"

namespace onvifgw::security {
class SecretBox;
}  // namespace onvifgw::security

namespace onvifgw::services::device {

using CertificateState = ::onvifgw::store::v1::CertificateState;

class DeviceCertificates : public StoredSetting<CertificateState> {
 public:
  /// Limits of the device's key store (ter:MaximumNumberOfKeysReached,
  /// ter:MaximumNumberOfCertificatesReached past them).
  static constexpr int kMaxKeys = 8;
  static constexpr int kMaxCertificates = 16;
  static constexpr int kMaxCaCertificates = 16;

  /// `secrets` seals the private keys; nullptr (unit tests without a store)
  /// keeps them in memory as they are.
  DeviceCertificates(std::string device_id, store::StateStore* store,
                     const security::SecretBox* secrets)
      : StoredSetting(std::move(device_id), "certificates", store), secrets_(secrets) {}

  /// An ID and the DER of a certificate (GetCertificates, GetCACertificates).
  struct Entry {
    std::string id;
    std::string der;
  };
  struct CertificateStatus {
    std::string id;
    bool enabled = false;
  };
  struct NewSelfSigned {
    std::string id;  ///< empty: the device chooses
    std::string subject;
    std::chrono::system_clock::time_point not_before, not_after;
    security::KeyAlgorithm algorithm = security::KeyAlgorithm::kRsa2048;
  };
  struct WithPrivateKey {
    std::string id;  ///< empty: the device chooses
    std::string certificate;
    std::string private_key;
  };

  /// A new key pair and a self-signed certificate for it, under the ID asked
  /// for (ter:CertificateID when it is taken) or one the device chooses.
  Expected<Entry, soap::Fault> CreateSelfSigned(const NewSelfSigned& request);
  /// The device's own certificates (server and client), in the order made.
  std::vector<Entry> Certificates() const;
  std::vector<CertificateStatus> Statuses() const;
  /// Sets the status of each named certificate; at most one may end up
  /// enabled. Unknown ID: ter:CertificateID.
  Status<soap::Fault> SetStatuses(const std::vector<CertificateStatus>& statuses);
  /// Deletes certificates and CA certificates by ID, with the key pairs no
  /// certificate is left on; all or none (ter:CertificateID).
  Status<soap::Fault> Delete(const std::vector<std::string>& ids);
  /// A PKCS#10 request (DER) for the key pair of certificate `id`, for
  /// `subject` (empty: the certificate's own subject).
  Expected<std::string, soap::Fault> Pkcs10Request(const std::string& id,
                                                   const std::string& subject,
                                                   const std::string& attributes) const;
  /// Certificates (DER or PEM) linked each to the key pair whose public key
  /// it carries (ter:NoMatchingPrivateKey when there is none). An existing ID
  /// is replaced when its key pair is the same (a CA-signed certificate for
  /// a key made here), else ter:CertificateID.
  Status<soap::Fault> LoadForKeyPairs(const std::vector<Entry>& certificates);
  /// Certificates with their private keys (ter:PublicPrivateKeyMismatch).
  Status<soap::Fault> LoadWithPrivateKeys(const std::vector<WithPrivateKey>& entries);
  std::vector<Entry> CaCertificates() const;
  /// CA certificates, DER or PEM, all or none (ter:BadCertificate).
  Status<soap::Fault> LoadCa(const std::vector<Entry>& certificates);
  /// The facts of a certificate or CA certificate.
  Expected<security::CertificateFacts, soap::Fault> Information(const std::string& id) const;

  bool ClientCertificateMode() const;
  /// On needs a CA certificate to check clients with (ter:EnablingTlsFailed).
  Status<soap::Fault> SetClientCertificateMode(bool enabled);

  /// Whether `id` names a certificate (own, or a CA's with `ca`).
  bool Has(const std::string& id, bool ca) const;
  /// What HTTPS serves: the enabled certificate with its key and, in client
  /// certificate mode, the CA certificates; nullopt when none is enabled.
  std::optional<http::TlsServerCredentials> ServerCredentials() const;
  /// The same for a state that is not (yet) current; takes no lock.
  std::optional<http::TlsServerCredentials> CredentialsIn(const CertificateState& state) const;

  /// Asked about every change before it is stored (under the setting's lock,
  /// so that no two changes race past it): a fault refuses the change whole.
  /// HTTPS uses it so that a change it could not serve is never stored.
  /// Set once, before the device serves requests.
  using ServingCheck = std::function<std::optional<soap::Fault>(const CertificateState& next)>;
  void set_serving_check(ServingCheck check) { serving_check_ = std::move(check); }

 private:
  std::string AssociatedData(const std::string& key_id) const;
  Expected<std::string, soap::Fault> PrivateKeyOf(const CertificateState& state,
                                                  const std::string& key_id) const;
  std::optional<soap::Fault> AddKey(CertificateState& state, const std::string& id,
                                    const security::KeyPair& key) const;

  /// Update, with the serving check after `change`.
  Status<soap::Fault> Change(
      const std::function<std::optional<soap::Fault>(CertificateState&)>& change);

  const security::SecretBox* secrets_;
  ServingCheck serving_check_;
};

}  // namespace onvifgw::services::device

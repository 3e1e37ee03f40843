#pragma once
// Device-service certificate operations (devicemgmt.wsdl: CreateCertificate,
// GetCertificates, GetCertificatesStatus, SetCertificatesStatus,
// DeleteCertificates, GetPkcs10Request, LoadCertificates,
// LoadCertificateWithPrivateKey, GetCertificateInformation,
// GetCACertificates, LoadCACertificates, Get/SetClientCertificateMode):
// validated here, kept by DeviceCertificates, served by HttpsEndpoint.

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindCertificateOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device

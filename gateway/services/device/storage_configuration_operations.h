#pragma once
// Device-service storage configuration operations (Core §8.8): Get, Create,
// Set and Delete, validated here and kept by StorageConfigurations. The
// gateway itself records nothing: the configurations are kept for the
// clients (a VMS) that manage them through the device.

#include <array>
#include <string_view>

#include "services/service_registry.h"

namespace onvifgw::services::device {

/// StorageTypesSupported: every type the Core specification names.
inline constexpr std::array<std::string_view, 6> kStorageTypes = {
    "NFS", "CIFS", "CDMI", "FTP", "ObjectStorageS3", "ObjectStorageAzure"};

void BindStorageConfigurationOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device

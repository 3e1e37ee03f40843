#pragma once
// StartSystemRestore (Core §8.3.5): a one-time URI on the device's port to
// POST a backup to (system_backup.h). The backup itself is downloaded from
// the SystemBackupUri of GetSystemUris. GetSystemBackup and RestoreSystem,
// which carry files as MTOM attachments, are not offered.

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindSystemBackupOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device

#pragma once
// After a device's stored state was replaced under it in one transaction (a
// factory default, a restore): every part of the device reads it again (what
// is no longer stored is back at its default), the listener goes where the
// stored network settings, or else the config, say, and a Hello announces
// the device's scopes and address.

#include "services/virtual_device.h"

namespace onvifgw::services::device {

void ReloadDeviceState(const VirtualDevice& device);

/// HTTPS as the stored network settings say: served at the stored port
/// with the enabled certificate when switched on (an error logged when that
/// is not possible), else not served. At start and after a reload.
void ServeHttpsAsStored(const VirtualDevice& device);

/// SystemReboot's restart of the virtual device: a Bye, every event
/// subscription of the device ended, its stored state read again
/// (ReloadDeviceState), and a Hello. What clients stored survives, as a
/// real device's configuration survives its reboot.
void RestartVirtualDevice(const VirtualDevice& device);

}  // namespace onvifgw::services::device

#pragma once
// The gateway's persistent state: one SQLite database in the state directory,
// created on first start, schema-versioned (PRAGMA user_version) and migrated
// forward in order. Writes are synchronous (WAL, synchronous=FULL): anything
// acknowledged to a client survives a crash.
//
// Thread-safe: one connection guarded by a mutex (state writes are rare).

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.h"

namespace onvifgw::store {

/// Identity of one virtual device: generated once, never changed.
struct DeviceIdentity {
  std::string endpoint_reference;  ///< "urn:uuid:<RFC 4122 v4>"
  std::string serial_number;
  std::string mac;  ///< "02:xx:xx:xx:xx:xx" (locally administered, unicast)
  std::string hardware_id;
};

/// One ONVIF user as stored: the password only ever sealed (AES-256-GCM by
/// the security room), never in plaintext.
struct StoredUser {
  std::string username;
  std::string level;  ///< "Administrator", "Operator", "User"
  std::string sealed_password;
  bool fixed = false;      ///< cannot be deleted (the configured administrator)
  std::string roles = {};  ///< level Extended: its roles, separated by spaces
};

class StateStore {
 public:
  /// Opens (creating if needed) `<state_dir>/state.db` and migrates it.
  static Expected<std::unique_ptr<StateStore>, std::string> Open(const std::string& state_dir);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// The device's identity, generated and stored on first call. Values are
  /// unique across devices (database constraints).
  Expected<DeviceIdentity, std::string> IdentityFor(const std::string& device_id);

  /// The users of a device, in creation order.
  Expected<std::vector<StoredUser>, std::string> Users(const std::string& device_id);
  /// Replaces every user of a device, and puts the given settings (key,
  /// value) of it, in one transaction: all or nothing. (The password
  /// history travels with the password change it records.)
  Status<std::string> ReplaceUsers(
      const std::string& device_id, const std::vector<StoredUser>& users,
      const std::vector<std::pair<std::string, std::string>>& settings = {});

  /// Every setting of a device (key, value), by key.
  Expected<std::vector<std::pair<std::string, std::string>>, std::string> Settings(
      const std::string& device_id);

  /// A per-device setting (access policy, IP filter, ...), or nullopt.
  Expected<std::optional<std::string>, std::string> Setting(const std::string& device_id,
                                                            const std::string& key);
  Status<std::string> PutSetting(const std::string& device_id, const std::string& key,
                                 std::string_view value);

  /// What a factory default keeps of a device; everything else of it goes.
  struct DeviceReset {
    /// Settings kept: by exact key, and every key starting with a prefix.
    std::vector<std::string> keep_keys;
    std::vector<std::string> keep_key_prefixes;
    /// Settings written afresh (a state that must survive the reset in a
    /// new form, such as a version counter).
    std::vector<std::pair<std::string, std::string>> put;
    /// false: every user that is not fixed (the configured administrator)
    /// is deleted.
    bool keep_users = true;
    /// When set, the device's users are replaced by these (a restore);
    /// keep_users is then not used.
    std::optional<std::vector<StoredUser>> users;
  };
  /// Applies a factory default to the stored state of a device, in one
  /// transaction. The identity (endpoint reference, serial number, MAC) is
  /// never touched: it is the hardware's.
  Status<std::string> ResetDevice(const std::string& device_id, const DeviceReset& reset);

  /// Moves every committed change into the database file and empties the
  /// write-ahead log, which still holds earlier versions of changed rows:
  /// after a secret is deleted, no copy of it stays on disk.
  Status<std::string> EraseOldVersions();

  /// Schema version after migrations.
  int schema_version();
  static int LatestSchemaVersion();

 private:
  explicit StateStore(sqlite3* db) : db_(db) {}
  Status<std::string> Migrate();
  /// Inserts users in order (inside the caller's transaction).
  Status<std::string> InsertUsers(const std::string& device_id,
                                  const std::vector<StoredUser>& users);
  Status<std::string> Exec(const char* sql);

  std::mutex mu_;
  sqlite3* db_;
};

}  // namespace onvifgw::store

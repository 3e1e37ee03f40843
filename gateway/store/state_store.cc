#include "store/state_store.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "store/random_ids.h"

namespace onvifgw::store {
namespace {

// Migration N brings the schema from version N to N+1. Append only.
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> kMigrations = {
      // 0 -> 1: per-device identity.
      "CREATE TABLE device_identity ("
      "  device_id TEXT PRIMARY KEY,"
      "  endpoint_reference TEXT NOT NULL UNIQUE,"
      "  serial_number TEXT NOT NULL UNIQUE,"
      "  mac TEXT NOT NULL UNIQUE,"
      "  hardware_id TEXT NOT NULL UNIQUE,"
      "  created_at INTEGER NOT NULL DEFAULT (strftime('%s','now')));",
      // 1 -> 2: ONVIF users (passwords sealed with the state key, never
      // plaintext) and per-device settings clients change (access policy, IP
      // filter, password rules, remote user...).
      "CREATE TABLE users ("
      "  device_id TEXT NOT NULL,"
      "  username TEXT NOT NULL,"
      "  level TEXT NOT NULL,"
      "  sealed_password BLOB NOT NULL,"
      "  fixed INTEGER NOT NULL DEFAULT 0,"
      "  position INTEGER NOT NULL,"
      "  PRIMARY KEY (device_id, username));"
      "CREATE TABLE device_settings ("
      "  device_id TEXT NOT NULL,"
      "  key TEXT NOT NULL,"
      "  value BLOB NOT NULL,"
      "  PRIMARY KEY (device_id, key));",
      // 2 -> 3: the roles of users of level Extended (names separated by
      // spaces; role names have none).
      "ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '';",
  };
  return kMigrations;
}

struct StmtFree {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFree>;

Stmt Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  return Stmt(s);
}

std::string Column(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// Inserts or replaces one setting of a device (inside the caller's
// transaction, if any). false on a database error.
bool Upsert(sqlite3* db, const std::string& device_id, const std::string& key,
            std::string_view value) {
  Stmt put = Prepare(db,
                     "INSERT INTO device_settings (device_id, key, value) VALUES (?, ?, ?) "
                     "ON CONFLICT (device_id, key) DO UPDATE SET value = excluded.value;");
  sqlite3_bind_text(put.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(put.get(), 2, key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(put.get(), 3, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return sqlite3_step(put.get()) == SQLITE_DONE;
}

}  // namespace

Expected<std::unique_ptr<StateStore>, std::string> StateStore::Open(const std::string& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return MakeUnexpected("cannot create state directory " + state_dir + ": " + ec.message());
  const std::string path = (std::filesystem::path(state_dir) / "state.db").string();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return MakeUnexpected("cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<StateStore> store(new StateStore(db));
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "PRAGMA foreign_keys=ON;",
        // What is deleted or overwritten (a sealed private key) is zeroed
        // in the file, not left in free space.
        "PRAGMA secure_delete=ON;"}) {
    if (auto st = store->Exec(pragma); !st) return MakeUnexpected(st.error());
  }
  if (auto st = store->Migrate(); !st) return MakeUnexpected(path + ": " + st.error());
  return store;
}

StateStore::~StateStore() { sqlite3_close(db_); }

Status<std::string> StateStore::EraseOldVersions() {
  std::lock_guard lock(mu_);
  return Exec("PRAGMA wal_checkpoint(TRUNCATE);");
}

int StateStore::LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Status<std::string> StateStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return MakeUnexpected(msg);
  }
  return {};
}

int StateStore::schema_version() {
  std::lock_guard lock(mu_);
  Stmt s = Prepare(db_, "PRAGMA user_version;");
  return s && sqlite3_step(s.get()) == SQLITE_ROW ? sqlite3_column_int(s.get(), 0) : -1;
}

Status<std::string> StateStore::Migrate() {
  const int current = schema_version();
  const int latest = LatestSchemaVersion();
  if (current > latest) {
    return MakeUnexpected("database schema version " + std::to_string(current) +
                          " is newer than this gateway (" + std::to_string(latest) + ")");
  }
  for (int v = current; v < latest; ++v) {
    // Each step and its version bump commit together.
    std::string sql = "BEGIN IMMEDIATE;";
    sql += Migrations()[v];
    sql += "PRAGMA user_version=" + std::to_string(v + 1) + ";COMMIT;";
    if (auto st = Exec(sql.c_str()); !st) {
      Exec("ROLLBACK;");
      return MakeUnexpected("migration to schema version " + std::to_string(v + 1) +
                            " failed: " + st.error());
    }
  }
  return {};
}

Expected<DeviceIdentity, std::string> StateStore::IdentityFor(const std::string& device_id) {
  std::lock_guard lock(mu_);
  {
    Stmt s = Prepare(db_,
                     "SELECT endpoint_reference, serial_number, mac, hardware_id "
                     "FROM device_identity WHERE device_id = ?;");
    sqlite3_bind_text(s.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s.get()) == SQLITE_ROW) {
      return DeviceIdentity{Column(s.get(), 0), Column(s.get(), 1), Column(s.get(), 2),
                            Column(s.get(), 3)};
    }
  }
  // Random values collide with negligible probability; the UNIQUE constraints
  // turn a collision into a retry instead of two devices sharing an identity.
  for (int attempt = 0; attempt < 5; ++attempt) {
    DeviceIdentity id{RandomUuidUrn(), "GW" + RandomHex(5), RandomMac(), "GW-" + RandomHex(4)};
    Stmt s = Prepare(db_,
                     "INSERT INTO device_identity "
                     "(device_id, endpoint_reference, serial_number, mac, hardware_id) "
                     "VALUES (?, ?, ?, ?, ?);");
    const std::string* values[] = {&device_id, &id.endpoint_reference, &id.serial_number, &id.mac,
                                   &id.hardware_id};
    for (int i = 0; i < 5; ++i) {
      sqlite3_bind_text(s.get(), i + 1, values[i]->c_str(), -1, SQLITE_TRANSIENT);
    }
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) return id;
    if (rc != SQLITE_CONSTRAINT) return MakeUnexpected(std::string(sqlite3_errmsg(db_)));
  }
  return MakeUnexpected(std::string("could not generate a unique identity"));
}

Expected<std::vector<StoredUser>, std::string> StateStore::Users(const std::string& device_id) {
  std::lock_guard lock(mu_);
  Stmt s = Prepare(db_,
                   "SELECT username, level, sealed_password, fixed, roles FROM users "
                   "WHERE device_id = ? ORDER BY position;");
  sqlite3_bind_text(s.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<StoredUser> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    const void* blob = sqlite3_column_blob(s.get(), 2);
    const int n = sqlite3_column_bytes(s.get(), 2);
    out.push_back(
        StoredUser{Column(s.get(), 0), Column(s.get(), 1),
                   std::string(static_cast<const char*>(blob), static_cast<std::size_t>(n)),
                   sqlite3_column_int(s.get(), 3) != 0, Column(s.get(), 4)});
  }
  if (rc != SQLITE_DONE) return MakeUnexpected(std::string(sqlite3_errmsg(db_)));
  return out;
}

Status<std::string> StateStore::InsertUsers(const std::string& device_id,
                                            const std::vector<StoredUser>& users) {
  int position = 0;
  for (const StoredUser& u : users) {
    Stmt ins = Prepare(db_,
                       "INSERT INTO users (device_id, username, level, sealed_password, fixed, "
                       "position, roles) VALUES (?, ?, ?, ?, ?, ?, ?);");
    sqlite3_bind_text(ins.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.get(), 2, u.username.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.get(), 3, u.level.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(ins.get(), 4, u.sealed_password.data(),
                      static_cast<int>(u.sealed_password.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int(ins.get(), 5, u.fixed ? 1 : 0);
    sqlite3_bind_int(ins.get(), 6, position++);
    sqlite3_bind_text(ins.get(), 7, u.roles.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(ins.get()) != SQLITE_DONE) {
      return MakeUnexpected(std::string(sqlite3_errmsg(db_)));
    }
  }
  return {};
}

Status<std::string> StateStore::ReplaceUsers(
    const std::string& device_id, const std::vector<StoredUser>& users,
    const std::vector<std::pair<std::string, std::string>>& settings) {
  std::lock_guard lock(mu_);
  if (auto st = Exec("BEGIN IMMEDIATE;"); !st) return st;
  auto fail = [this](std::string msg) -> Status<std::string> {
    Exec("ROLLBACK;");
    return MakeUnexpected(std::move(msg));
  };
  {
    Stmt del = Prepare(db_, "DELETE FROM users WHERE device_id = ?;");
    sqlite3_bind_text(del.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(del.get()) != SQLITE_DONE) return fail(sqlite3_errmsg(db_));
  }
  if (auto st = InsertUsers(device_id, users); !st) return fail(st.error());
  for (const auto& [key, value] : settings) {
    if (!Upsert(db_, device_id, key, value)) return fail(sqlite3_errmsg(db_));
  }
  if (auto st = Exec("COMMIT;"); !st) return fail(st.error());
  return {};
}

Status<std::string> StateStore::ResetDevice(const std::string& device_id,
                                            const DeviceReset& reset) {
  std::lock_guard lock(mu_);
  if (auto st = Exec("BEGIN IMMEDIATE;"); !st) return st;
  auto fail = [this](std::string msg) -> Status<std::string> {
    Exec("ROLLBACK;");
    return MakeUnexpected(std::move(msg));
  };
  // The keys first, then the ones to delete: no LIKE patterns, so that a
  // key with '%' or '_' in it is matched exactly.
  std::vector<std::string> doomed;
  {
    Stmt keys = Prepare(db_, "SELECT key FROM device_settings WHERE device_id = ?;");
    sqlite3_bind_text(keys.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(keys.get())) == SQLITE_ROW) {
      std::string key = Column(keys.get(), 0);
      bool kept =
          std::find(reset.keep_keys.begin(), reset.keep_keys.end(), key) != reset.keep_keys.end();
      for (const std::string& prefix : reset.keep_key_prefixes) {
        kept = kept || key.rfind(prefix, 0) == 0;
      }
      if (!kept) doomed.push_back(std::move(key));
    }
    if (rc != SQLITE_DONE) return fail(sqlite3_errmsg(db_));
  }
  for (const std::string& key : doomed) {
    Stmt del = Prepare(db_, "DELETE FROM device_settings WHERE device_id = ? AND key = ?;");
    sqlite3_bind_text(del.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(del.get(), 2, key.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(del.get()) != SQLITE_DONE) return fail(sqlite3_errmsg(db_));
  }
  for (const auto& [key, value] : reset.put) {
    if (!Upsert(db_, device_id, key, value)) return fail(sqlite3_errmsg(db_));
  }
  if (reset.users || !reset.keep_users) {
    Stmt del = Prepare(db_, reset.users ? "DELETE FROM users WHERE device_id = ?;"
                                        : "DELETE FROM users WHERE device_id = ? AND fixed = 0;");
    sqlite3_bind_text(del.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(del.get()) != SQLITE_DONE) return fail(sqlite3_errmsg(db_));
  }
  if (reset.users) {
    if (auto st = InsertUsers(device_id, *reset.users); !st) return fail(st.error());
  }
  if (auto st = Exec("COMMIT;"); !st) return fail(st.error());
  return {};
}

Expected<std::vector<std::pair<std::string, std::string>>, std::string> StateStore::Settings(
    const std::string& device_id) {
  std::lock_guard lock(mu_);
  Stmt s = Prepare(db_, "SELECT key, value FROM device_settings WHERE device_id = ? ORDER BY key;");
  sqlite3_bind_text(s.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<std::pair<std::string, std::string>> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    const void* blob = sqlite3_column_blob(s.get(), 1);
    const int n = sqlite3_column_bytes(s.get(), 1);
    out.emplace_back(Column(s.get(), 0),
                     std::string(static_cast<const char*>(blob), static_cast<std::size_t>(n)));
  }
  if (rc != SQLITE_DONE) return MakeUnexpected(std::string(sqlite3_errmsg(db_)));
  return out;
}

Expected<std::optional<std::string>, std::string> StateStore::Setting(const std::string& device_id,
                                                                      const std::string& key) {
  std::lock_guard lock(mu_);
  Stmt s = Prepare(db_, "SELECT value FROM device_settings WHERE device_id = ? AND key = ?;");
  sqlite3_bind_text(s.get(), 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.get(), 2, key.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return MakeUnexpected(std::string(sqlite3_errmsg(db_)));
  const void* blob = sqlite3_column_blob(s.get(), 0);
  const int n = sqlite3_column_bytes(s.get(), 0);
  return std::optional<std::string>(
      std::string(static_cast<const char*>(blob), static_cast<std::size_t>(n)));
}

Status<std::string> StateStore::PutSetting(const std::string& device_id, const std::string& key,
                                           std::string_view value) {
  std::lock_guard lock(mu_);
  if (!Upsert(db_, device_id, key, value)) return MakeUnexpected(std::string(sqlite3_errmsg(db_)));
  return {};
}

}  // namespace onvifgw::store

#pragma once
// One piece of a virtual device's state, kept as a protobuf message in the
// state store (one row of device_settings per device and key) and in memory.
// Every change is made on a copy and stored in one transaction before it
// becomes current, so a crash leaves either the old or the new state.
//
// Thread-safe.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/expected.h"
#include "core/log.h"
#include "soap/fault.h"
#include "store/state_store.h"

namespace onvifgw::services::device {

template <typename State>
class StoredSetting {
 public:
  /// `store` may be nullptr: state then lives in memory only (unit tests).
  StoredSetting(std::string device_id, std::string key, store::StateStore* store)
      : device_id_(std::move(device_id)), key_(std::move(key)), store_(store) {}

  /// Reads the stored state (again, after a factory default: nothing stored
  /// is the default state); an unreadable one is an error naming the device.
  Status<std::string> Load() {
    if (store_ == nullptr) return {};
    auto stored = store_->Setting(device_id_, key_);
    if (!stored) return MakeUnexpected(stored.error());
    State state;  // nothing stored (any more): the default
    if (*stored && !state.ParseFromString(**stored)) {
      return MakeUnexpected("device " + device_id_ + ": stored " + key_ +
                            " settings are unreadable");
    }
    std::lock_guard lock(mu_);
    state_ = std::move(state);
    return {};
  }

  State Current() const {
    std::lock_guard lock(mu_);
    return state_;
  }

  /// Runs `change` on a copy and, when it returns no fault, stores the copy
  /// (one transaction) and makes it current; an unchanged state is not
  /// written again. A storage failure is ter:Action.
  using Change = std::function<std::optional<soap::Fault>(State&)>;
  Status<soap::Fault> Update(const Change& change) {
    std::lock_guard lock(mu_);
    State next = state_;
    if (auto fault = change(next)) return MakeUnexpected(std::move(*fault));
    std::string bytes = next.SerializeAsString();
    // A change that changes nothing (a client setting what is already set)
    // costs no write to the appliance's flash.
    if (bytes == state_.SerializeAsString()) return {};
    if (store_ != nullptr) {
      if (auto st = store_->PutSetting(device_id_, key_, bytes); !st) {
        log::Error(key_, st.error());
        return MakeUnexpected(soap::ActionFailed("The change could not be stored"));
      }
    }
    state_ = std::move(next);
    return {};
  }

  const std::string& device_id() const { return device_id_; }
  /// The row of device_settings it is kept in.
  const std::string& key() const { return key_; }

 protected:
  store::StateStore* store() const { return store_; }

 private:
  const std::string device_id_;
  const std::string key_;
  store::StateStore* const store_;
  mutable std::mutex mu_;
  State state_;
};

}  // namespace onvifgw::services::device

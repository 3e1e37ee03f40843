#pragma once
// Brute-force protection for authentication, per client address, plus the
// device-wide failure count behind ONVIF's AuthFailureWarningConfiguration
// (Core §8.5.6-8.5.8: MonitorPeriod, MaxAuthFailures).
//
// Policy (defaults in Options): failures are counted in a sliding window
// (60 s). From the 5th failure on, every further attempt is delayed
// (1 s, doubling per failure, at most 8 s). At the 10th failure the address
// is refused outright for the lockout period (5 min); afterwards it starts
// with a clean record. A success forgets the address. Addresses share a
// record: IPv4-mapped IPv6 counts as IPv4, and IPv6 addresses are grouped by
// their /64 (one host usually owns a whole /64, so rotating addresses inside
// it must not reset the count). Note that clients behind one NAT share a
// record; a lockout locks them all out for the period.
//
// Memory is bounded: at most max_tracked_addresses records (the least
// recently failed is evicted), each with at most lockout_after timestamps;
// the device-wide log keeps at most max_warning_events timestamps.
//
// Thread-safe: one mutex. `now` is always injected by the caller.

#include <boost/asio/ip/address.hpp>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace onvifgw::security {

class FailureLimiter {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  struct Options {
    std::size_t delay_after = 5;     ///< failures in `window` before delays start
    std::size_t lockout_after = 10;  ///< failures in `window` that lock out
    std::chrono::seconds window{60};
    std::chrono::seconds lockout{300};
    std::chrono::milliseconds base_delay{1000};
    std::chrono::milliseconds max_delay{8000};
    std::size_t max_tracked_addresses = 4096;
    /// Device-wide failure timestamps kept for ExceedsWarningThreshold; a
    /// threshold above this cannot be detected.
    std::size_t max_warning_events = 4096;
    /// Device-wide failures older than this are dropped.
    std::chrono::seconds max_monitor_period{3600};
  };

  struct Decision {
    bool allowed = true;                 ///< false while locked out: refuse without checking
    std::chrono::milliseconds delay{0};  ///< wait this long before answering
    TimePoint locked_until{};            ///< meaningful when !allowed
  };

  explicit FailureLimiter(Options options);
  FailureLimiter() : FailureLimiter(Options{}) {}

  /// What to do with the next attempt from `address` (an IP address string,
  /// or any other string, which is used as is).
  Decision Check(std::string_view address, TimePoint now);
  Decision Check(const boost::asio::ip::address& address, TimePoint now);

  void RecordFailure(std::string_view address, TimePoint now);
  void RecordFailure(const boost::asio::ip::address& address, TimePoint now);

  void RecordSuccess(std::string_view address);
  void RecordSuccess(const boost::asio::ip::address& address);

  /// Authentication failures (all addresses) within the last `period`.
  std::size_t FailuresWithin(std::chrono::seconds period, TimePoint now) const;
  /// True when more than `max_failures` failures happened in `period`
  /// (MaxAuthFailures within MonitorPeriod).
  bool ExceedsWarningThreshold(std::chrono::seconds period, std::size_t max_failures,
                               TimePoint now) const;

  /// Records currently kept (tests, metrics).
  std::size_t tracked_addresses() const;

  /// The record key for an address (exposed for tests).
  static std::string KeyFor(const boost::asio::ip::address& address);
  static std::string KeyFor(std::string_view address);

 private:
  struct Record {
    std::deque<TimePoint> failures;  // within the window, oldest first
    TimePoint locked_until{};
    std::list<std::string>::iterator lru;
  };
  Decision CheckKey(const std::string& key, TimePoint now);
  void FailureKey(const std::string& key, TimePoint now);
  void SuccessKey(const std::string& key);

  const Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Record> records_;
  /// records_.size(), readable without the lock (a stale read only delays a
  /// decision by one request, which a racing failure could not prevent anyway).
  std::atomic<std::size_t> tracked_{0};
  std::list<std::string> lru_;  // front = most recent failure
  std::deque<TimePoint> all_failures_;
};

}  // namespace onvifgw::security

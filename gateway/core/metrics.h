#pragma once
// Counters, gauges and histograms for the Prometheus text format (0.0.4):
// what an operator scrapes from `metrics:` (see services/observability.h).
//
// One process-wide registry (like the log): the rooms that count something
// name it here, and the registry renders everything on a scrape. Families
// are described once (name, type, help); a series is a family plus label
// values. Thread-safe; an update costs one mutex and a map lookup, which is
// small beside the request it counts.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onvifgw::metrics {

/// Label name/value pairs, in the order they are rendered.
using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Type { kCounter, kGauge, kHistogram };

class Registry {
 public:
  /// Seconds: 0.5 ms to 10 s, for request and call latencies.
  static const std::vector<double>& LatencyBuckets();

  /// Declares a family; a later update of an undeclared name is ignored (a typo must not
  /// invent a family). Declaring again is harmless.
  void Describe(std::string name, Type type, std::string help,
                std::vector<double> buckets = LatencyBuckets());

  /// counter += by.
  void Add(std::string_view name, const Labels& labels, double by = 1);
  /// gauge = value.
  void Set(std::string_view name, const Labels& labels, double value);
  /// One observation of a histogram.
  void Observe(std::string_view name, const Labels& labels, double value);
  /// Gauges worked out at scrape time (e.g. open subscriptions): `collect` calls Set. Remove it
  /// (with the id returned) before what it reads goes away.
  int AddCollector(std::function<void(Registry&)> collect);
  void RemoveCollector(int id);

  /// Everything, in the text exposition format; runs the collectors first.
  std::string Render();

  /// Forgets every series (tests); families and collectors stay.
  void ResetForTesting();

 private:
  struct Series {
    double value = 0;                   // counter, gauge
    std::vector<std::uint64_t> counts;  // histogram: per bucket (not cumulative)
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Family {
    Type type = Type::kCounter;
    std::string help;
    std::vector<double> buckets;
    std::map<Labels, Series> series;
  };

  std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
  std::map<int, std::function<void(Registry&)>> collectors_;
  int next_collector_ = 0;
};

/// The process-wide registry.
Registry& Default();

}  // namespace onvifgw::metrics

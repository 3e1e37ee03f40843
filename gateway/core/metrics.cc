#include "core/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

namespace onvifgw::metrics {
namespace {

// Shortest text that reads back as the same double; Prometheus spells infinity +Inf.
std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

// Label values escape backslash, double quote and line feed; HELP escapes backslash and LF.
std::string Escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string LabelText(const Labels& labels, const std::pair<std::string, std::string>* extra) {
  if (labels.empty() && extra == nullptr) return "";
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::pair<std::string, std::string>& label) {
    if (!first) out += ",";
    first = false;
    out += label.first;
    out += "=\"";
    out += Escape(label.second, true);
    out += "\"";
  };
  for (const auto& label : labels) add(label);
  if (extra != nullptr) add(*extra);
  out += "}";
  return out;
}

const char* TypeName(Type type) {
  switch (type) {
    case Type::kCounter:
      return "counter";
    case Type::kGauge:
      return "gauge";
    case Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

const std::vector<double>& Registry::LatencyBuckets() {
  static const std::vector<double> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

void Registry::Describe(std::string name, Type type, std::string help,
                        std::vector<double> buckets) {
  std::lock_guard lock(mutex_);
  Family& family = families_[std::move(name)];
  family.type = type;
  family.help = std::move(help);
  std::sort(buckets.begin(), buckets.end());
  family.buckets = std::move(buckets);
}

void Registry::Add(std::string_view name, const Labels& labels, double by) {
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family == families_.end() || family->second.type != Type::kCounter || by < 0) return;
  family->second.series[labels].value += by;
}

void Registry::Set(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family == families_.end() || family->second.type != Type::kGauge) return;
  family->second.series[labels].value = value;
}

void Registry::Observe(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family == families_.end() || family->second.type != Type::kHistogram) return;
  const std::vector<double>& buckets = family->second.buckets;
  Series& series = family->second.series[labels];
  if (series.counts.empty()) series.counts.assign(buckets.size(), 0);
  const auto bucket = std::lower_bound(buckets.begin(), buckets.end(), value);
  if (bucket != buckets.end()) ++series.counts[static_cast<std::size_t>(bucket - buckets.begin())];
  series.sum += value;
  ++series.count;
}

int Registry::AddCollector(std::function<void(Registry&)> collect) {
  std::lock_guard lock(mutex_);
  const int id = ++next_collector_;
  collectors_.emplace(id, std::move(collect));
  return id;
}

void Registry::RemoveCollector(int id) {
  std::lock_guard lock(mutex_);
  collectors_.erase(id);
}

std::string Registry::Render() {
  std::vector<std::function<void(Registry&)>> collectors;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, collect] : collectors_) collectors.push_back(collect);
  }
  for (const auto& collect : collectors) collect(*this);
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += Escape(family.help, false);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += TypeName(family.type);
    out += '\n';
    for (const auto& [labels, series] : family.series) {
      if (family.type != Type::kHistogram) {
        out += name + LabelText(labels, nullptr) + " " + Number(series.value) + "\n";
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < family.buckets.size(); ++i) {
        cumulative += series.counts[i];
        const std::pair<std::string, std::string> le{"le", Number(family.buckets[i])};
        out += name + "_bucket" + LabelText(labels, &le) + " " + std::to_string(cumulative) + "\n";
      }
      const std::pair<std::string, std::string> inf{"le", "+Inf"};
      out += name + "_bucket" + LabelText(labels, &inf) + " " + std::to_string(series.count) + "\n";
      out += name + "_sum" + LabelText(labels, nullptr) + " " + Number(series.sum) + "\n";
      out +=
          name + "_count" + LabelText(labels, nullptr) + " " + std::to_string(series.count) + "\n";
    }
  }
  return out;
}

void Registry::ResetForTesting() {
  std::lock_guard lock(mutex_);
  for (auto& [name, family] : families_) family.series.clear();
}

Registry& Default() {
  // Every family the gateway updates, in one place: the list docs/user-guide.md shows.
  static Registry registry;
  static const bool described = [](Registry& r) {
    r.Describe("onvif_requests_total", Type::kCounter,
               "SOAP requests answered, by device, operation and result (ok, or the fault's "
               "last subcode, e.g. ter:ActionNotSupported, or env:Sender / env:Receiver).");
    r.Describe("onvif_request_duration_seconds", Type::kHistogram,
               "Time from a SOAP request's body read to its reply, by operation.");
    r.Describe("onvif_auth_failures_total", Type::kCounter,
               "Requests whose credentials (UsernameToken or HTTP Digest/Basic) were refused, "
               "by device.");
    r.Describe("onvif_adapter_up", Type::kGauge,
               "1 while the adapter is serving and its facts are read, else 0.");
    r.Describe("onvif_adapter_restarts_total", Type::kCounter,
               "Adapter processes that exited and were started again.");
    r.Describe("onvif_adapter_calls_total", Type::kCounter,
               "Calls to adapters, by adapter, RPC and gRPC status code.");
    r.Describe("onvif_adapter_call_duration_seconds", Type::kHistogram,
               "Time of a call to an adapter (what the camera takes included), by adapter and "
               "RPC.");
    r.Describe("onvif_event_subscriptions", Type::kGauge,
               "Open event subscriptions (pull points and base subscriptions), by device.");
    r.Describe("onvif_relay_clients", Type::kGauge,
               "Clients playing a stream from the media relay, by device.");
    return true;
  }(registry);
  (void)described;
  return registry;
}

}  // namespace onvifgw::metrics

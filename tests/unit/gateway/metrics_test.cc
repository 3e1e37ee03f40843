// The Prometheus text the operator scrapes: families described once,
// counters, gauges and histograms with their labels escaped, collectors run
// at scrape time, and nothing invented by a typo.

#include "core/metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace onvifgw::metrics {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(Metrics, CountersGaugesAndHistogramsInTheTextFormat) {
  Registry r;
  r.Describe("t_requests_total", Type::kCounter, "Requests.\nBy result.");
  r.Describe("t_up", Type::kGauge, "Up.");
  r.Describe("t_seconds", Type::kHistogram, "Time.", {0.1, 1, 0.5});
  r.Add("t_requests_total", {{"device", "front"}, {"result", "ok"}});
  r.Add("t_requests_total", {{"device", "front"}, {"result", "ok"}}, 2);
  r.Add("t_requests_total", {{"device", "a\"b\\c\nd"}, {"result", "ter:NoProfile"}});
  r.Set("t_up", {{"adapter", "sim"}}, 1);
  r.Set("t_up", {{"adapter", "sim"}}, 0);
  r.Observe("t_seconds", {{"operation", "GetProfiles"}}, 0.05);
  r.Observe("t_seconds", {{"operation", "GetProfiles"}}, 0.5);
  r.Observe("t_seconds", {{"operation", "GetProfiles"}}, 3);
  // Not described, or the wrong kind of update: ignored.
  r.Add("t_typo_total", {});
  r.Set("t_requests_total", {{"device", "front"}, {"result", "ok"}}, 100);
  r.Add("t_requests_total", {{"device", "front"}, {"result", "ok"}}, -5);

  const std::string text = r.Render();
  EXPECT_TRUE(Has(text, "# HELP t_requests_total Requests.\\nBy result.")) << text;
  EXPECT_TRUE(Has(text, "# TYPE t_requests_total counter"));
  EXPECT_TRUE(Has(text, "t_requests_total{device=\"front\",result=\"ok\"} 3"));
  EXPECT_TRUE(Has(text, "t_requests_total{device=\"a\\\"b\\\\c\\nd\",result=\"ter:NoProfile\"} 1"));
  EXPECT_TRUE(Has(text, "# TYPE t_up gauge"));
  EXPECT_TRUE(Has(text, "t_up{adapter=\"sim\"} 0"));
  EXPECT_TRUE(Has(text, "# TYPE t_seconds histogram"));
  // Buckets sorted, cumulative, +Inf holds everything.
  EXPECT_TRUE(Has(text, "t_seconds_bucket{operation=\"GetProfiles\",le=\"0.1\"} 1"));
  EXPECT_TRUE(Has(text, "t_seconds_bucket{operation=\"GetProfiles\",le=\"0.5\"} 2"));
  EXPECT_TRUE(Has(text, "t_seconds_bucket{operation=\"GetProfiles\",le=\"1\"} 2"));
  EXPECT_TRUE(Has(text, "t_seconds_bucket{operation=\"GetProfiles\",le=\"+Inf\"} 3"));
  EXPECT_TRUE(Has(text, "t_seconds_sum{operation=\"GetProfiles\"} 3.55"));
  EXPECT_TRUE(Has(text, "t_seconds_count{operation=\"GetProfiles\"} 3"));
  EXPECT_EQ(text.find("t_typo_total"), std::string::npos);
}

TEST(Metrics, CollectorsRunAtScrapeTimeUntilRemoved) {
  Registry r;
  r.Describe("t_open", Type::kGauge, "Open things.");
  int open = 2;
  const int id = r.AddCollector([&open](Registry& registry) {
    registry.Set("t_open", {{"device", "front"}}, open);
  });
  EXPECT_TRUE(Has(r.Render(), "t_open{device=\"front\"} 2"));
  open = 5;
  EXPECT_TRUE(Has(r.Render(), "t_open{device=\"front\"} 5"));
  r.RemoveCollector(id);
  open = 9;
  EXPECT_TRUE(Has(r.Render(), "t_open{device=\"front\"} 5"));
}

TEST(Metrics, TheGatewaysFamiliesAreDescribed) {
  const std::string text = Default().Render();
  for (const char* family :
       {"onvif_requests_total", "onvif_request_duration_seconds", "onvif_auth_failures_total",
        "onvif_adapter_up", "onvif_adapter_restarts_total", "onvif_adapter_calls_total",
        "onvif_adapter_call_duration_seconds", "onvif_event_subscriptions",
        "onvif_relay_clients"}) {
    EXPECT_NE(text.find(std::string("# TYPE ") + family + " "), std::string::npos) << family;
  }
}

}  // namespace
}  // namespace onvifgw::metrics

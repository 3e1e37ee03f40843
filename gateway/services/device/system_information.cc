#include "services/device/system_information.h"

#include <chrono>
#include <map>

#include "core/log.h"
#include "http/rebindable_listener.h"
#include "services/device_security.h"
#include "services/xml_time.h"

namespace onvifgw::services::device {
namespace {

// Set when the program starts (static initialisation), for the uptime.
const std::chrono::steady_clock::time_point kStarted = std::chrono::steady_clock::now();

// Lines of the support information's log excerpt.
constexpr std::size_t kSupportLogLines = 200;

bool IsAccessRecord(const log::Record& r) {
  return r.component == "access" || r.component == "security";
}

bool About(const VirtualDevice& d, const log::Record& r) {
  if (!r.device_id.empty()) return r.device_id == d.config.id;
  // The gateway as a whole, and the adapter behind this device.
  return r.component == "gateway" || r.component == "store" ||
         (!d.config.adapter.empty() && r.component == "adapter:" + d.config.adapter);
}

std::string Lines(const std::vector<log::Record>& records, std::size_t last = SIZE_MAX) {
  std::string out;
  const std::size_t from = records.size() > last ? records.size() - last : 0;
  for (std::size_t i = from; i < records.size(); ++i) {
    out += records[i].line;
    out += '\n';
  }
  return out;
}

std::vector<log::Record> RecordsOf(const VirtualDevice& d, SystemLogKind kind) {
  return log::Recent([&](const log::Record& r) {
    return About(d, r) && IsAccessRecord(r) == (kind == SystemLogKind::kAccess);
  });
}

}  // namespace

std::string SystemLogText(const VirtualDevice& device, SystemLogKind kind) {
  return Lines(RecordsOf(device, kind));
}

std::string SupportInformationText(const VirtualDevice& d) {
  std::string s = "ONVIF gateway support information\n";
  s += "generated: " + FormatDateTime(d.clock->Now()) + "\n";
  s += "gateway uptime: " +
       std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now() - kStarted)
                          .count()) +
       " s\n\n";
  s += "device: " + d.config.id + "\n";
  s += "  name: " + d.config.name + "\n";
  s += "  hardware: " + d.config.hardware + "\n";
  s += "  endpoint reference: " + d.identity.endpoint_reference + "\n";
  s += "  serial number: " + d.identity.serial_number + "\n";
  s += "  MAC: " + (d.config.mac.empty() ? d.identity.mac : d.config.mac) + "\n";
  if (d.listener != nullptr) {
    s += "  listening: " + d.listener->address() + ":" + std::to_string(d.listener->port()) + "\n";
  } else {
    s += "  listening: " + d.config.address + ":" + std::to_string(d.config.port) + "\n";
  }
  if (d.security != nullptr) {
    std::map<std::string, int> levels;
    for (const UserAccount& u : d.security->users()) {
      ++levels[std::string(security::UserLevelName(u.level))];
    }
    s += "  users:";
    for (const auto& [level, n] : levels) {
      // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, falsely)
      // about " " + std::string.
      s += ' ';
      s += std::to_string(n);
      s += ' ';
      s += level;
    }
    s += "\n";
  }
  s += "\nadapter: " + d.config.adapter + "\n";
  if (d.adapter == nullptr) {
    s += "  none\n";
  } else {
    s += std::string("  available: ") + (d.adapter->available() ? "yes" : "no") + "\n";
    const auto facts = d.adapter->facts();
    if (!facts) {
      s += "  never reached\n";
    } else {
      s += "  name: " + facts->describe.adapter_name() + " " + facts->describe.adapter_version() +
           "\n";
      s += "  described: " +
           FormatDateTime(std::chrono::time_point_cast<Clock::duration>(facts->fetched_at)) + "\n";
      for (const auto& [id, cam] : facts->cameras) {
        const bool ours = std::find(d.config.cameras.begin(), d.config.cameras.end(), id) !=
                              d.config.cameras.end() ||
                          id == d.config.camera;
        if (!ours) continue;
        s += "  camera " + id + " (" + cam.description.label() +
             "): " + cam.information.manufacturer() + " " + cam.information.model() +
             ", firmware " + cam.information.firmware_version() + "\n";
        s += "    capabilities: " + cam.description.capabilities().ShortDebugString() + "\n";
        for (const auto& src : cam.video_sources.sources()) {
          for (const auto& st : src.streams()) {
            s += "    stream " + src.source_id() + "/" + st.stream_id() + ": " +
                 std::to_string(st.resolution().width()) + "x" +
                 std::to_string(st.resolution().height()) + " " + std::to_string(st.framerate()) +
                 " fps\n";
          }
        }
      }
    }
  }
  s += "\nrecent system log (last " + std::to_string(kSupportLogLines) + " lines):\n";
  s += Lines(RecordsOf(d, SystemLogKind::kSystem), kSupportLogLines);
  return s;
}

}  // namespace onvifgw::services::device

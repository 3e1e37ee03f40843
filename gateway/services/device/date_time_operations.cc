#include "services/device/date_time_operations.h"

#include "core/log.h"
#include "onvif/generated/tds.pb.h"
#include "services/device/date_time_settings.h"
#include "services/device/network_settings.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

void Fill(const CivilTime& t, tt::DateTime* out) {
  out->mutable_time()->set_hour(t.hour);
  out->mutable_time()->set_minute(t.minute);
  out->mutable_time()->set_second(t.second);
  out->mutable_date()->set_year(t.year);
  out->mutable_date()->set_month(t.month);
  out->mutable_date()->set_day(t.day);
}

int64_t Seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Expected<tds::GetSystemDateAndTimeResponse, Fault> GetSystemDateAndTime(
    const RequestContext& ctx, const tds::GetSystemDateAndTime&) {
  // True UTC (INTEROP §2.9): clients derive the UsernameToken Created offset
  // from it. A device without date and time settings shows its clock in UTC.
  DateTimeSettings::View v;
  if (ctx.device.date_time != nullptr) {
    v = ctx.device.date_time->Snapshot();
  } else {
    v.utc = ctx.device.clock->Now();
  }
  tds::GetSystemDateAndTimeResponse r;
  auto* sdt = r.mutable_systemdateandtime();
  sdt->set_datetimetype(v.ntp ? tt::SetDateTimeType_NTP : tt::SetDateTimeType_Manual);
  sdt->set_daylightsavings(v.daylight_savings);
  sdt->mutable_timezone()->set_tz(v.time_zone);
  const int64_t utc = Seconds(v.utc);
  Fill(CivilTimeOf(utc), sdt->mutable_utcdatetime());
  Fill(CivilTimeOf(utc + v.local_offset), sdt->mutable_localdatetime());
  return r;
}

void SetSystemDateAndTime(const RequestContext& ctx, const tds::SetSystemDateAndTime& req,
                          Completion done) {
  DateTimeSettings* settings = ctx.device.date_time;
  if (settings == nullptr) {
    done(MakeUnexpected(soap::ActionNotSupported("The device's clock cannot be set")));
    return;
  }
  DateTimeSettings::Change change;
  change.ntp = req.datetimetype() == tt::SetDateTimeType_NTP;
  change.daylight_savings = req.daylightsavings();
  if (req.has_timezone()) change.time_zone = req.timezone().tz();
  if (req.has_utcdatetime()) {
    const auto& d = req.utcdatetime();
    change.utc = CivilTime{d.date().year(), d.date().month(),  d.date().day(),
                           d.time().hour(), d.time().minute(), d.time().second()};
  }
  change.ntp_servers_defined =
      ctx.device.network != nullptr && ctx.device.network->Current().ntp_servers_size() > 0;
  if (auto st = settings->Set(change); !st) {
    done(MakeUnexpected(st.error()));
    return;
  }

  // The camera's own clock follows the device's where the camera can be set
  // (its overlay and recordings then agree with the VMS); the device's clock
  // is set either way, so a camera that fails to follow is only logged.
  adapters::CameraAdapter* adapter = ctx.device.adapter;
  const auto facts = adapter != nullptr ? adapter->facts() : nullptr;
  const adapters::CameraFacts* camera =
      facts != nullptr ? facts->Camera(ctx.device.config.camera) : nullptr;
  if (camera == nullptr || !adapter->available() ||
      !camera->description.capabilities().set_system_time()) {
    done(Ok(tds::SetSystemDateAndTimeResponse{}));
    return;
  }
  const DateTimeSettings::View now = settings->Snapshot();
  adapters::v1::SetSystemTimeRequest call;
  call.set_camera_id(ctx.device.config.camera);
  call.mutable_utc_time()->set_seconds(Seconds(now.utc));
  // DaylightSavings false: the zone without its daylight saving part.
  const auto zone = PosixTimeZone::Parse(now.time_zone);
  call.set_posix_timezone(now.daylight_savings || !zone ? now.time_zone : zone->standard_part());
  adapter->SetSystemTime(
      std::move(call), [done = std::move(done), device = ctx.device.config.id](
                           const grpc::Status& st, const adapters::v1::SystemTime&) {
        if (!st.ok()) {
          log::WriteAbout(log::Level::kWarn, "device", device,
                          "the camera's clock was not set: " + st.error_message());
        }
        done(Ok(tds::SetSystemDateAndTimeResponse{}));
      });
}

}  // namespace

void BindDateTimeOperations(ServiceBinder& b) {
  b.Bind("GetSystemDateAndTime", GetSystemDateAndTime)
      .Bind("SetSystemDateAndTime", SetSystemDateAndTime);
}

}  // namespace onvifgw::services::device

#include "services/events/notification_message.h"

#include "onvif/generated/tt.pb.h"
#include "services/xml_time.h"
#include "soap/codec.h"

namespace onvifgw::services::events {

namespace tt = ::onvifgw::onvif::tt;
namespace wsnt = ::onvifgw::onvif::wsnt;

wsnt::NotificationMessageHolderType NotificationMessage(const Notification& n,
                                                        const std::string& subscription) {
  wsnt::NotificationMessageHolderType m;
  if (!subscription.empty()) {
    m.mutable_subscriptionreference()->mutable_address()->set_xml_text(subscription);
  }
  m.mutable_topic()->set_dialect(kConcreteSetDialect);
  m.mutable_topic()->set_xml_text(n.topic);
  tt::Message msg;
  msg.set_utctime(FormatDateTime(n.time));
  if (n.is_property()) {
    msg.set_propertyoperation(soap::FromXmlValue<tt::PropertyOperation>(n.operation)
                                  .value_or(tt::PropertyOperation_Changed));
  }
  for (const SimpleItem& item : n.source) {
    auto* src = msg.mutable_source()->add_simpleitem();
    src->set_name(item.name);
    src->set_value(item.value);
  }
  for (const SimpleItem& item : n.data) {
    auto* data = msg.mutable_data()->add_simpleitem();
    data->set_name(item.name);
    data->set_value(item.value);
  }
  m.mutable_message()->add_xml_any(soap::EncodeFragment(msg, "tt", "Message"));
  return m;
}

}  // namespace onvifgw::services::events

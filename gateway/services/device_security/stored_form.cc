#include "services/device_security/stored_form.h"

#include "soap/codec.h"
#include "soap/xml_document.h"

namespace onvifgw::services {

std::string StoredForm(const google::protobuf::Message& m) {
  return soap::EncodeFragment(m, "", "Stored");
}

bool RestoreStored(const std::string& blob, google::protobuf::Message* m) {
  if (blob.empty() || blob.front() != '<') return m->ParseFromString(blob);
  auto doc = soap::ParseXmlDocument(blob, soap::XmlLimits{});
  if (!doc) return false;
  return soap::DecodeElement(xmlDocGetRootElement(doc->get()), m).ok();
}

// The associated data of every sealed security value since the first
// release: "onvifgw/<device>/<what>".
std::string DeviceSecrets::AssociatedData(std::string_view what) const {
  return "onvifgw/" + device_id_ + "/" + std::string(what);
}

Expected<std::string, std::string> DeviceSecrets::Seal(std::string_view what,
                                                       std::string_view plain) const {
  return box_.Seal(plain, AssociatedData(what));
}

Expected<std::string, std::string> DeviceSecrets::Open(std::string_view what,
                                                       std::string_view sealed) const {
  return box_.Open(sealed, AssociatedData(what));
}

}  // namespace onvifgw::services

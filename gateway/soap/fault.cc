#include "soap/fault.h"

#include <utility>

namespace onvifgw::soap {
namespace {

Fault Make(FaultCode code, std::string generic, std::string specific, std::string reason) {
  Fault f{code, {std::move(generic)}, std::move(reason)};
  if (!specific.empty()) f.subcodes.push_back(std::move(specific));
  return f;
}

}  // namespace

Fault ActionNotSupported(std::string reason, std::string specific) {
  return Make(FaultCode::kReceiver, "ActionNotSupported", std::move(specific), std::move(reason));
}
Fault InvalidArgVal(std::string reason, std::string specific) {
  return Make(FaultCode::kSender, "InvalidArgVal", std::move(specific), std::move(reason));
}
Fault InvalidArgs(std::string reason, std::string specific) {
  return Make(FaultCode::kSender, "InvalidArgs", std::move(specific), std::move(reason));
}
Fault WellFormed(std::string reason) {
  return Make(FaultCode::kSender, "WellFormed", {}, std::move(reason));
}
Fault NotAuthorized(std::string reason) {
  return Make(FaultCode::kSender, "NotAuthorized", {}, std::move(reason));
}
Fault ActionFailed(std::string reason, std::string specific) {
  return Make(FaultCode::kReceiver, "Action", std::move(specific), std::move(reason));
}

}  // namespace onvifgw::soap

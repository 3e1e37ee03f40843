#include "adapters/fault_map.h"

namespace onvifgw::adapters {

soap::Fault FaultFromStatus(const grpc::Status& status) {
  const std::string& msg = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNIMPLEMENTED:
      return soap::ActionNotSupported("The camera does not support this operation");
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return soap::InvalidArgVal(msg.empty() ? "Invalid argument" : msg);
    case grpc::StatusCode::NOT_FOUND:
      return soap::InvalidArgVal(msg.empty() ? "No such entity" : msg, "NoEntity");
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
      return soap::NotAuthorized("The camera refused the operation");
    case grpc::StatusCode::FAILED_PRECONDITION:
      return soap::Fault{soap::FaultCode::kSender,
                         {"OperationProhibited"},
                         msg.empty() ? "Operation not permitted now" : msg};
    case grpc::StatusCode::UNAVAILABLE:
      return soap::ActionFailed("The camera is not reachable at the moment");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return soap::ActionFailed("The camera did not answer in time");
    default:
      return soap::ActionFailed("The camera could not perform the operation");
  }
}

}  // namespace onvifgw::adapters

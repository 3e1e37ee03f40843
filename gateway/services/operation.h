#pragma once
// An ONVIF operation as data: what the WSDL says about it (body elements,
// wsa:Action URIs, generated message types; onvif/operation_table.h), its
// access class, and its handler. Handlers are pure: typed request in, typed
// response or fault out, through a completion that may run later (adapter
// calls are asynchronous). An operation without a handler is declared
// unsupported and answers ter:ActionNotSupported.

#include <google/protobuf/message.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "core/expected.h"
#include "onvif/operation_table.h"
#include "security/access_class.h"
#include "services/request_context.h"
#include "soap/fault.h"

namespace onvifgw::services {

using security::AccessClass;

using OperationResult = Expected<std::unique_ptr<google::protobuf::Message>, soap::Fault>;
using Completion = std::function<void(OperationResult)>;
using Handler =
    std::function<void(const RequestContext&, const google::protobuf::Message&, Completion)>;

struct Operation {
  const onvif::OperationSchema* schema = nullptr;
  AccessClass access = AccessClass::kPreAuth;
  /// Empty for an operation declared unsupported.
  Handler handler;
  bool declared_unsupported = false;
  /// Why it is unsupported, for the fault and the operations table; empty:
  /// not said.
  std::string unsupported_reason;
  /// The specific subcode under ter:ActionNotSupported the specification
  /// names for it ("InvalidDot11"); empty: none.
  std::string unsupported_subcode;
  /// "prefix:Name" (tds:GetUsers), the function a user role grants.
  std::string function;
};

/// Typed response helper for handlers.
template <typename Resp>
OperationResult Ok(Resp resp) {
  return std::unique_ptr<google::protobuf::Message>(std::make_unique<Resp>(std::move(resp)));
}

}  // namespace onvifgw::services

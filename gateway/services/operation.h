#pragma once
// An ONVIF operation as data: its body element (namespace + local name), its
// access class, the request type the codec decodes into, and its handler.
// Handlers are pure: typed request in, typed response or fault out, through a
// completion that may run later (adapter calls are asynchronous).

#include <google/protobuf/message.h>

#include <functional>
#include <memory>
#include <string_view>
#include <utility>

#include "core/expected.h"
#include "security/access_class.h"
#include "services/request_context.h"
#include "soap/fault.h"

namespace onvifgw::services {

using security::AccessClass;

using OperationResult = Expected<std::unique_ptr<google::protobuf::Message>, soap::Fault>;
using Completion = std::function<void(OperationResult)>;

struct Operation {
  std::string_view ns;
  std::string_view name;
  AccessClass access;
  /// Default instance of the request type; New() makes a fresh one.
  const google::protobuf::Message* request_prototype;
  std::function<void(const RequestContext&, const google::protobuf::Message&, Completion)> handler;
};

/// Typed response helper for handlers.
template <typename Resp>
OperationResult Ok(Resp resp) {
  return std::unique_ptr<google::protobuf::Message>(std::make_unique<Resp>(std::move(resp)));
}

/// An operation whose handler answers at once.
template <typename Req, typename Resp>
Operation SyncOperation(std::string_view ns, AccessClass access,
                        Expected<Resp, soap::Fault> (*fn)(const RequestContext&, const Req&)) {
  return Operation{ns, Req::descriptor()->name(), access, &Req::default_instance(),
                   [fn](const RequestContext& ctx, const google::protobuf::Message& req,
                        Completion done) {
                     auto r = fn(ctx, static_cast<const Req&>(req));
                     if (!r) {
                       done(MakeUnexpected(r.error()));
                     } else {
                       done(Ok(std::move(r).value()));
                     }
                   }};
}

/// An operation whose handler completes later.
template <typename Req>
Operation AsyncOperation(std::string_view ns, AccessClass access,
                         void (*fn)(const RequestContext&, const Req&, Completion)) {
  return Operation{ns, Req::descriptor()->name(), access, &Req::default_instance(),
                   [fn](const RequestContext& ctx, const google::protobuf::Message& req,
                        Completion done) {
                     fn(ctx, static_cast<const Req&>(req), std::move(done));
                   }};
}

}  // namespace onvifgw::services

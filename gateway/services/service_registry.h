#pragma once
// The ONVIF services the gateway serves, built from the WSDL's operations
// table (onvif/operation_table.h): each service owns its HTTP path and binds
// handlers to its operations by name. Seal() checks that every operation of
// every served port type is bound or declared unsupported, and that no name
// is unknown or bound twice; GetServices, GetCapabilities and
// GetServiceCapabilities are derived from what is registered here.
//
// Built once at start-up, then only read (thread-safe for readers).

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/expected.h"
#include "services/operation.h"

namespace onvifgw::onvif::tt {
class Capabilities;
}

namespace onvifgw::services {

/// How a service presents itself; every member but `path` is optional.
struct ServiceDescription {
  /// The service's XAddr path ("/onvif/device_service").
  std::string path;
  /// Further paths served under this prefix ("/onvif/subscription/").
  std::string path_prefix;
  /// Whether the device offers the service (e.g. events need the hub).
  std::function<bool(const RequestContext&)> available;
  /// The service's capabilities element for GetServices, as a self-contained
  /// fragment (soap::EncodeFragment).
  std::function<std::string(const RequestContext&)> capabilities;
  /// GetCapabilities (the legacy call): the category this service answers
  /// ("Device", "Events", "Media", ...) and how it fills it in.
  std::string legacy_category;
  std::function<void(const RequestContext&, onvif::tt::Capabilities*)> legacy_capabilities;
};

/// One served service: its schema, description and operations.
struct ServedService {
  const onvif::ServiceSchema* schema = nullptr;
  ServiceDescription description;
  /// Operations keyed by the body element's namespace and local name.
  std::unordered_map<std::string, Operation> operations;

  bool Available(const RequestContext& ctx) const {
    return !description.available || description.available(ctx);
  }
};

class ServiceRegistry;

/// Binds handlers of one service; errors are collected and reported by
/// ServiceRegistry::Seal().
class ServiceBinder {
 public:
  /// A handler that answers at once.
  template <typename Req, typename Resp>
  ServiceBinder& Bind(std::string_view operation,
                      Expected<Resp, soap::Fault> (*fn)(const RequestContext&, const Req&)) {
    if (!CheckTypes(operation, Req::descriptor(), Resp::descriptor())) return *this;
    return Set(operation, [fn](const RequestContext& ctx, const google::protobuf::Message& req,
                               Completion done) {
      auto r = fn(ctx, static_cast<const Req&>(req));
      if (!r) {
        done(MakeUnexpected(r.error()));
      } else {
        done(Ok(std::move(r).value()));
      }
    });
  }

  /// A handler that completes later (it calls the adapter).
  template <typename Req>
  ServiceBinder& Bind(std::string_view operation,
                      void (*fn)(const RequestContext&, const Req&, Completion)) {
    if (!CheckTypes(operation, Req::descriptor(), nullptr)) return *this;
    return Set(operation,
               [fn](const RequestContext& ctx, const google::protobuf::Message& req,
                    Completion done) { fn(ctx, static_cast<const Req&>(req), std::move(done)); });
  }

  /// Operations this service does not implement: they answer
  /// ter:ActionNotSupported, and the capabilities must not claim them.
  ServiceBinder& Unsupported(std::initializer_list<std::string_view> operations);
  /// The same, saying why (the fault's reason and the operations table),
  /// with the specific subcode the specification gives the fault, if any.
  ServiceBinder& Unsupported(std::string_view reason,
                             std::initializer_list<std::string_view> operations,
                             std::string_view specific = {});

 private:
  friend class ServiceRegistry;
  ServiceBinder(ServiceRegistry& registry, ServedService& service)
      : registry_(registry), service_(service) {}
  bool CheckTypes(std::string_view operation, const google::protobuf::Descriptor* request,
                  const google::protobuf::Descriptor* response);
  ServiceBinder& Set(std::string_view operation, Handler handler);
  Operation* Lookup(std::string_view operation);

  ServiceRegistry& registry_;
  ServedService& service_;
};

class ServiceRegistry {
 public:
  ServiceRegistry() = default;
  ServiceRegistry(const ServiceRegistry&) = delete;
  ServiceRegistry& operator=(const ServiceRegistry&) = delete;

  /// Starts serving the service whose WSDL prefix is `prefix` ("tds").
  ServiceBinder Serve(std::string_view prefix, ServiceDescription description);

  /// Checks the bindings: one message per problem, empty when all is well.
  Status<std::string> Seal();

  /// The service owning an HTTP path (its path, or under its prefix).
  const ServedService* ForPath(std::string_view path) const;
  /// The operation for a body element: in `at` first, then in any service
  /// (clients post to the device service's address what belongs elsewhere).
  const Operation* Find(const ServedService* at, std::string_view ns, std::string_view name) const;
  const std::vector<std::unique_ptr<ServedService>>& services() const { return services_; }
  const ServedService* Get(std::string_view prefix) const;

 private:
  friend class ServiceBinder;
  std::vector<std::unique_ptr<ServedService>> services_;
  std::vector<std::string> errors_;
};

/// Key of the operations map.
std::string OperationKey(std::string_view ns, std::string_view name);

}  // namespace onvifgw::services

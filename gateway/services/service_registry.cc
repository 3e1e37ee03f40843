#include "services/service_registry.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>

namespace onvifgw::services {

std::string OperationKey(std::string_view ns, std::string_view name) {
  std::string k(ns);
  k += ' ';
  k += name;
  return k;
}

Operation* ServiceBinder::Lookup(std::string_view operation) {
  for (auto& [key, op] : service_.operations) {
    if (op.schema->name == operation) return &op;
  }
  registry_.errors_.push_back(std::string(service_.schema->prefix) + " has no operation " +
                              std::string(operation) + " in " + std::string(service_.schema->wsdl));
  return nullptr;
}

bool ServiceBinder::CheckTypes(std::string_view operation,
                               const google::protobuf::Descriptor* request,
                               const google::protobuf::Descriptor* response) {
  Operation* op = Lookup(operation);
  if (op == nullptr) return false;
  auto mismatch = [&](const char* what, const google::protobuf::Descriptor* want,
                      const google::protobuf::Descriptor* got) {
    registry_.errors_.push_back(std::string(service_.schema->prefix) + " " +
                                std::string(operation) + ": the handler's " + what + " is " +
                                got->full_name() + ", the WSDL's is " + want->full_name());
    return false;
  };
  if (op->schema->request->GetDescriptor() != request) {
    return mismatch("request", op->schema->request->GetDescriptor(), request);
  }
  if (response != nullptr && op->schema->response->GetDescriptor() != response) {
    return mismatch("response", op->schema->response->GetDescriptor(), response);
  }
  return true;
}

ServiceBinder& ServiceBinder::Set(std::string_view operation, Handler handler) {
  Operation* op = Lookup(operation);
  if (op == nullptr) return *this;
  if (op->handler || op->declared_unsupported) {
    registry_.errors_.push_back(std::string(service_.schema->prefix) + " " +
                                std::string(operation) + " is bound twice");
    return *this;
  }
  op->handler = std::move(handler);
  return *this;
}

ServiceBinder& ServiceBinder::Unsupported(std::initializer_list<std::string_view> operations) {
  return Unsupported({}, operations);
}

ServiceBinder& ServiceBinder::Unsupported(std::string_view reason,
                                          std::initializer_list<std::string_view> operations,
                                          std::string_view specific) {
  for (std::string_view name : operations) {
    Operation* op = Lookup(name);
    if (op == nullptr) continue;
    if (op->handler || op->declared_unsupported) {
      registry_.errors_.push_back(std::string(service_.schema->prefix) + " " + std::string(name) +
                                  " is bound twice");
      continue;
    }
    op->declared_unsupported = true;
    op->unsupported_reason = std::string(reason);
    op->unsupported_subcode = std::string(specific);
  }
  return *this;
}

ServiceBinder ServiceRegistry::Serve(std::string_view prefix, ServiceDescription description) {
  const onvif::ServiceSchema* schema = nullptr;
  for (const auto& s : onvif::ServiceSchemas()) {
    if (s.prefix == prefix) schema = &s;
  }
  auto served = std::make_unique<ServedService>();
  if (schema == nullptr) {
    static const onvif::ServiceSchema kUnknown{"?", "", "", ""};
    errors_.push_back("no WSDL declares the service " + std::string(prefix));
    schema = &kUnknown;
  }
  served->schema = schema;
  served->description = std::move(description);
  for (const auto& op : onvif::OperationSchemas()) {
    if (op.service != schema->prefix) continue;
    auto access = security::ParseAccessClass(op.access_class);
    if (!access) {
      errors_.push_back(std::string(prefix) + " " + std::string(op.name) +
                        ": unknown access class " + std::string(op.access_class));
      continue;
    }
    served->operations.emplace(
        OperationKey(op.input.ns, op.input.name),
        Operation{
            &op, *access, {}, false, {}, {}, std::string(op.service) + ":" + std::string(op.name)});
  }
  for (const auto& s : services_) {
    if (s->schema == schema)
      errors_.push_back("the service " + std::string(prefix) + " is served twice");
  }
  services_.push_back(std::move(served));
  return ServiceBinder(*this, *services_.back());
}

Status<std::string> ServiceRegistry::Seal() {
  std::vector<std::string> problems = errors_;
  for (const auto& s : services_) {
    for (const auto& [key, op] : s->operations) {
      if (!op.handler && !op.declared_unsupported) {
        problems.push_back(std::string(s->schema->prefix) + " " + std::string(op.schema->name) +
                           " is neither bound nor declared unsupported");
      }
    }
  }
  if (problems.empty()) return {};
  std::string message = "the services are not completely bound:";
  for (const auto& p : problems) message += "\n  " + p;
  return MakeUnexpected(message);
}

const ServedService* ServiceRegistry::ForPath(std::string_view path) const {
  for (const auto& s : services_) {
    if (s->description.path == path) return s.get();
    const std::string& prefix = s->description.path_prefix;
    if (!prefix.empty() && path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix) {
      return s.get();
    }
  }
  return nullptr;
}

const Operation* ServiceRegistry::Find(const ServedService* at, std::string_view ns,
                                       std::string_view name) const {
  const std::string key = OperationKey(ns, name);
  if (at != nullptr) {
    auto it = at->operations.find(key);
    if (it != at->operations.end()) return &it->second;
  }
  for (const auto& s : services_) {
    auto it = s->operations.find(key);
    if (it != s->operations.end()) return &it->second;
  }
  return nullptr;
}

const ServedService* ServiceRegistry::Get(std::string_view prefix) const {
  for (const auto& s : services_) {
    if (s->schema->prefix == prefix) return s.get();
  }
  return nullptr;
}

}  // namespace onvifgw::services

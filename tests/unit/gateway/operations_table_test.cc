// The operations table as data: every operation of every served WSDL is
// bound or declared unsupported (the table is printed), binding mistakes stop
// the start with a message naming them, replies carry the WSDL's wsa:Action,
// and the generated files agree with the gateway's namespace table.

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "onvif/generated/tds.pb.h"
#include "onvif/operation_table.h"
#include "onvif/xml.pb.h"
#include "security/access_policy.h"
#include "services/served_services.h"
#include "services/service_registry.h"
#include "soap/namespaces.h"

namespace onvifgw::services {
namespace {

namespace tds = ::onvifgw::onvif::tds;

Expected<tds::GetScopesResponse, soap::Fault> Scopes(const RequestContext&, const tds::GetScopes&) {
  return tds::GetScopesResponse{};
}
Expected<tds::GetHostnameResponse, soap::Fault> Hostname(const RequestContext&,
                                                         const tds::GetScopes&) {
  return tds::GetHostnameResponse{};
}

TEST(OperationsTable, EveryOperationOfEveryServedWsdlIsBoundOrDeclared) {
  ServiceRegistry registry;
  auto st = ServeAll(registry);
  ASSERT_TRUE(st.ok()) << st.error();
  std::map<std::string, int> total;
  for (const auto& op : onvif::OperationSchemas()) ++total[std::string(op.service)];
  std::printf("%-6s %-45s %6s %12s %6s\n", "prefix", "WSDL", "bound", "unsupported", "total");
  int bound_all = 0;
  for (const auto& s : onvif::ServiceSchemas()) {
    const ServedService* served = registry.Get(s.prefix);
    int bound = 0;
    int unsupported = 0;
    if (served != nullptr) {
      for (const auto& [key, op] : served->operations) {
        if (op.handler) {
          ++bound;
        } else {
          EXPECT_TRUE(op.declared_unsupported) << s.prefix << " " << op.schema->name;
          ++unsupported;
        }
      }
      EXPECT_EQ(bound + unsupported, total[std::string(s.prefix)]) << s.prefix;
    }
    bound_all += bound;
    std::printf("%-6s %-45s %6d %12d %6d%s\n", std::string(s.prefix).c_str(),
                std::string(s.wsdl).c_str(), bound, unsupported, total[std::string(s.prefix)],
                served ? "" : "  (service not served: ActionNotSupported)");
  }
  EXPECT_GE(bound_all, 42);
}

// The Device service's operations one by one: implemented, or
// ActionNotSupported and why (every one of those must say why).
TEST(OperationsTable, EveryDeviceOperationIsImplementedOrSaysWhyNot) {
  ServiceRegistry registry;
  auto st = ServeAll(registry);
  ASSERT_TRUE(st.ok()) << st.error();
  const ServedService* device = registry.Get("tds");
  ASSERT_NE(device, nullptr);
  std::map<std::string, const Operation*> by_name;
  for (const auto& [key, op] : device->operations) by_name[std::string(op.schema->name)] = &op;
  int implemented = 0;
  std::printf("\nDevice service (devicemgmt.wsdl), %zu operations:\n", by_name.size());
  std::printf("%-36s %s\n", "operation", "status");
  for (const auto& [name, op] : by_name) {
    if (op->handler) {
      ++implemented;
      std::printf("%-36s implemented\n", name.c_str());
    } else {
      EXPECT_FALSE(op->unsupported_reason.empty()) << name << " is unsupported without a reason";
      std::printf("%-36s ActionNotSupported: %s\n", name.c_str(), op->unsupported_reason.c_str());
    }
  }
  std::printf("%d implemented, %zu ActionNotSupported\n", implemented,
              by_name.size() - static_cast<std::size_t>(implemented));
  EXPECT_EQ(by_name.size(), 103u);
}

TEST(OperationsTable, BindingMistakesAreReportedByName) {
  ServiceRegistry registry;
  registry.Serve("tds", {"/d", "", {}, {}, "", {}})
      .Bind("GetScopes", Scopes)
      .Bind("GetScopes", Scopes)              // twice
      .Bind("GetHostname", Hostname)          // wrong request type
      .Bind("GetToaster", Scopes)             // not in the WSDL
      .Unsupported({"GetScopes", "GetDNS"});  // bound and declared
  registry.Serve("nope", {"/n", "", {}, {}, "", {}});
  auto st = registry.Seal();
  ASSERT_FALSE(st.ok());
  const std::string& m = st.error();
  EXPECT_NE(m.find("tds GetScopes is bound twice"), std::string::npos) << m;
  EXPECT_NE(m.find("tds GetHostname: the handler's request is onvifgw.onvif.tds.GetScopes"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("tds has no operation GetToaster"), std::string::npos) << m;
  EXPECT_NE(m.find("no WSDL declares the service nope"), std::string::npos) << m;
  EXPECT_NE(m.find("tds GetNTP is neither bound nor declared unsupported"), std::string::npos) << m;
  EXPECT_EQ(m.find("tds GetDNS is neither"), std::string::npos) << m;
}

TEST(OperationsTable, ActionsFollowTheWsdl) {
  std::map<std::string, const onvif::OperationSchema*> by_name;
  for (const auto& op : onvif::OperationSchemas()) {
    by_name[std::string(op.service) + " " + std::string(op.name)] = &op;
  }
  // The WS-Addressing default: [namespace]/[port type]/[operation]Response.
  EXPECT_EQ(by_name.at("tds GetServices")->output_action,
            "http://www.onvif.org/ver10/device/wsdl/Device/GetServicesResponse");
  // The WSDL's explicit wsaw:Action.
  EXPECT_EQ(by_name.at("tev PullMessages")->output_action,
            "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesResponse");
  EXPECT_EQ(by_name.at("tev GetEventProperties")->output_action,
            "http://www.onvif.org/ver10/events/wsdl/EventPortType/GetEventPropertiesResponse");
  EXPECT_EQ(by_name.at("tev Renew")->input_action,
            "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest");
  EXPECT_EQ(by_name.at("tds GetSystemDateAndTime")->access_class, "PRE_AUTH");
  EXPECT_EQ(by_name.at("tds SystemReboot")->access_class, "UNRECOVERABLE");
  EXPECT_EQ(by_name.at("tptz ContinuousMove")->access_class, "ACTUATE");
  for (const auto& op : onvif::OperationSchemas()) {
    EXPECT_TRUE(security::ParseAccessClass(op.access_class).has_value()) << op.name;
  }
}

TEST(OperationsTable, GeneratedNamespacesMatchTheGatewayPrefixes) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int files = 0;
  for (const auto& op : onvif::OperationSchemas()) {
    for (const auto* m : {op.request, op.response}) {
      const auto& o = m->GetDescriptor()->file()->options();
      const std::string& prefix = o.GetExtension(onvif::xml_ns);
      EXPECT_EQ(soap::ns::UriForPrefix(prefix).value_or(""), o.GetExtension(onvif::xml_uri))
          << m->GetDescriptor()->file()->name();
      ++files;
    }
  }
  for (const char* p :
       {"tt", "tds", "tev", "trt", "tr2", "tptz", "timg", "tmd", "wsnt", "wstop", "wsa", "xop"}) {
    const auto* f = pool->FindFileByName(std::string("onvif/generated/") + p + ".proto");
    ASSERT_NE(f, nullptr) << p;
    EXPECT_EQ(soap::ns::UriForPrefix(p).value_or(""), f->options().GetExtension(onvif::xml_uri))
        << p;
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace onvifgw::services

#include "services/soap_endpoint.h"

#include <memory>

#include "core/log.h"
#include "core/metrics.h"
#include "soap/codec.h"
#include "soap/envelope.h"
#include "soap/mtom.h"

namespace onvifgw::services {
namespace {

bool Audited(AccessClass c) {
  return c == AccessClass::kWriteSystem || c == AccessClass::kUnrecoverable ||
         c == AccessClass::kActuate || c == AccessClass::kReadSystemSecret;
}

std::string UserName(const Principal& p) {
  return p.username.empty() ? std::string("anonymous") : "'" + p.username + "'";
}

// The response's wsa:Action is the WSDL's output action (explicit, or the
// WS-Addressing default); written only when the request had a MessageID.
soap::ResponseAddressing Addressing(const soap::SoapRequest& req, const Operation* op) {
  soap::ResponseAddressing a;
  if (req.message_id.empty()) return a;
  a.relates_to = req.message_id;
  if (op == nullptr) {
    a.action = "http://www.w3.org/2005/08/addressing/soap/fault";
    return a;
  }
  a.action = std::string(op->schema->output_action);
  // A client that addressed another port type binding the same element
  // (its wsa:Action says which) gets that port type's output action.
  for (const auto& [in, out] : op->schema->other_actions) {
    if (req.action == in) a.action = std::string(out);
  }
  return a;
}

SoapReply Reply(int status, std::string body) {
  SoapReply r;
  r.http_status = status;
  r.body = std::move(body);
  return r;
}

SoapReply FaultReply(const soap::Fault& f, const soap::ResponseAddressing& a) {
  SoapReply r = Reply(f.HttpStatus(), soap::WriteFaultEnvelope(f, a));
  if (!f.subcodes.empty()) {
    r.outcome = "ter:" + f.subcodes.back();
  } else {
    switch (f.code) {
      case soap::FaultCode::kVersionMismatch:
        r.outcome = "env:VersionMismatch";
        break;
      case soap::FaultCode::kMustUnderstand:
        r.outcome = "env:MustUnderstand";
        break;
      case soap::FaultCode::kSender:
        r.outcome = "env:Sender";
        break;
      case soap::FaultCode::kReceiver:
        r.outcome = "env:Receiver";
        break;
    }
  }
  return r;
}

// Counts a reply and its time in the metrics, then hands it on.
std::function<void(SoapReply)> Counted(std::function<void(SoapReply)> done, std::string device,
                                       std::shared_ptr<const std::string> operation) {
  const auto started = std::chrono::steady_clock::now();
  return [done = std::move(done), device = std::move(device), operation = std::move(operation),
          started](SoapReply reply) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    metrics::Registry& registry = metrics::Default();
    registry.Add("onvif_requests_total",
                 {{"device", device}, {"operation", *operation}, {"result", reply.outcome}});
    registry.Observe("onvif_request_duration_seconds", {{"operation", *operation}}, took.count());
    done(std::move(reply));
  };
}

}  // namespace

void SoapEndpoint::Handle(std::string_view body, const RequestContext& ctx,
                          std::function<void(SoapReply)> done_uncounted) const {
  // Named once the body is parsed; a request that never gets that far counts as "(unparsed)".
  auto operation = std::make_shared<std::string>("(unparsed)");
  std::function<void(SoapReply)> done =
      Counted(std::move(done_uncounted), ctx.device.config.id, operation);
  // `curl --digest` and similar clients first send an empty POST to get the
  // challenge: answer it as such rather than as malformed XML.
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos && ctx.authorization.empty() &&
      authenticator_ != nullptr && ctx.device.security != nullptr) {
    AuthRejection c =
        authenticator_->Challenge(*ctx.device.security, false, "Sender not authorized");
    SoapReply r = FaultReply(c.fault, {});
    r.http_status = c.http_status;
    r.headers = std::move(c.headers);
    done(std::move(r));
    return;
  }
  auto parsed = soap::ParseEnvelope(body, limits_);
  if (!parsed) {
    done(FaultReply(parsed.error(), {}));
    return;
  }
  // The request (and its libxml2 tree) must outlive an asynchronous handler.
  auto req = std::make_shared<soap::SoapRequest>(std::move(parsed).value());
  const ServedService* service = registry_.ForPath(ctx.path);
  const Operation* op = registry_.Find(service, req->operation_ns, req->operation_name);
  // Only names from the WSDL become labels: a client cannot grow the metrics without bound.
  *operation = op != nullptr ? std::string(req->operation_name) : std::string("(unknown)");
  if (op == nullptr || !op->handler) {
    std::string reason =
        "The operation " + std::string(req->operation_name) + " is not supported by this device";
    if (op != nullptr && !op->unsupported_reason.empty()) {
      reason += ": " + op->unsupported_reason;
    }
    done(FaultReply(
        soap::ActionNotSupported(std::move(reason), op != nullptr ? op->unsupported_subcode : ""),
        Addressing(*req, nullptr)));
    return;
  }
  // Authentication and the access class come before anything else, even
  // before the body is decoded (FACTS §1.4).
  RequestContext effective = ctx;
  effective.services = &registry_;
  effective.reply_attachments = std::make_shared<soap::OutgoingAttachments>();
  if (op->access != AccessClass::kPreAuth && authenticator_ != nullptr &&
      ctx.device.security != nullptr) {
    auto who = authenticator_->Authenticate(ctx, req->header, *ctx.device.security);
    const auto policy = ctx.device.security->policy();
    if (!who && who.error().no_credentials &&
        policy.Allows(security::UserLevel::kAnonymous, op->access)) {
      // The stored policy grants this class to unauthenticated clients.
      who = Principal{"", security::UserLevel::kAnonymous};
    }
    if (!who) {
      if (!who.error().no_credentials) {
        metrics::Default().Add("onvif_auth_failures_total", {{"device", ctx.device.config.id}});
      }
      SoapReply r = FaultReply(who.error().fault, Addressing(*req, nullptr));
      r.http_status = who.error().http_status;
      r.headers = who.error().headers;
      r.delay = who.error().delay;
      done(std::move(r));
      return;
    }
    if (!ctx.device.security->Authorizes(*who, op->function, op->access)) {
      log::WriteAbout(log::Level::kWarn, "access", ctx.device.config.id,
                      UserName(*who) + " from " + ctx.remote_address + ": " +
                          std::string(req->operation_name) + " refused (" +
                          std::string(AccessClassName(op->access)) + " not granted)");
      done(FaultReply(soap::NotAuthorized("The user's level or roles do not permit this operation"),
                      Addressing(*req, nullptr)));
      return;
    }
    effective.principal = *who;
  }
  std::unique_ptr<google::protobuf::Message> typed(op->schema->request->New());
  if (auto st = soap::DecodeElement(req->operation, typed.get()); !st) {
    done(FaultReply(soap::DecodeFault(st.error()), Addressing(*req, nullptr)));
    return;
  }
  std::shared_ptr<const google::protobuf::Message> request(std::move(typed));
  // The access log: who changed what, or read secrets (never who read
  // media or settings: that is most requests).
  std::string audit;
  if (Audited(op->access)) {
    audit = (effective.principal ? UserName(*effective.principal) : std::string("anonymous")) +
            " from " + ctx.remote_address + ": " + std::string(req->operation_name);
  }
  op->handler(
      effective, *request,
      [req, request, op, audit = std::move(audit), device = ctx.device.config.id,
       parts = effective.reply_attachments, done = std::move(done)](OperationResult result) {
        if (!audit.empty()) {
          log::WriteAbout(log::Level::kInfo, "access", device,
                          audit + (result ? " done" : " failed: " + result.error().reason));
        }
        if (!result) {
          done(FaultReply(result.error(), Addressing(*req, nullptr)));
          return;
        }
        std::string envelope =
            soap::WriteResponseEnvelope(**result, op->schema->output, Addressing(*req, op));
        if (parts->empty()) return done(Reply(200, std::move(envelope)));
        soap::MtomMessage mtom = soap::WriteMtom(envelope, *parts);
        SoapReply r = Reply(200, std::move(mtom.body));
        r.content_type = std::move(mtom.content_type);
        done(std::move(r));
      });
}

}  // namespace onvifgw::services

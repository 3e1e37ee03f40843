#include "services/operator_endpoint.h"

#include "core/metrics.h"

namespace onvifgw::services {
namespace {

// A JSON string for an adapter id (ids are plain, but quote what could break the text).
std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

http::Response Text(int status, std::string content_type, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

http::Handler MakeOperatorHttpHandler(AdapterHealth adapters) {
  return [adapters = std::move(adapters)](const http::Request& request,
                                          std::function<void(http::Response)> respond) {
    const std::string_view path = request.target.substr(0, request.target.find('?'));
    if (path != "/metrics" && path != "/healthz") {
      return respond(Text(404, "text/plain", "not found: /metrics or /healthz\n"));
    }
    if (request.method != "GET" && request.method != "HEAD") {
      http::Response r = Text(405, "text/plain", "GET only\n");
      r.headers.emplace_back("Allow", "GET, HEAD");
      return respond(std::move(r));
    }
    if (path == "/metrics") {
      return respond(
          Text(200, "text/plain; version=0.0.4; charset=utf-8", metrics::Default().Render()));
    }
    bool all_up = true;
    std::string list;
    for (const auto& [id, up] : adapters()) {
      all_up = all_up && up;
      if (!list.empty()) list += ",";
      list += JsonString(id) + ":" + (up ? "\"up\"" : "\"down\"");
    }
    respond(Text(all_up ? 200 : 503, "application/json",
                 std::string("{\"status\":") + (all_up ? "\"ok\"" : "\"degraded\"") +
                     ",\"adapters\":{" + list + "}}\n"));
  };
}

}  // namespace onvifgw::services

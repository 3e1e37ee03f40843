#include "test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "soap/namespaces.h"
#include "soap/xml_document.h"

namespace onvifgw::discovery::testing {

std::string SharedOnvifDir() { return ONVIFGW_SHARED_ONVIF_DIR; }

bool SharedOnvifPresent() { return ::access(ONVIFGW_CHECK_SOAP, X_OK) == 0; }

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CheckSoapResult CheckSoap(const std::vector<std::pair<std::string, std::string>>& messages) {
  CheckSoapResult result;
  char dir_template[] = "/tmp/discovery_check_soap_XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) return result;
  const std::filesystem::path dir(dir_template);
  std::string command = ONVIFGW_CHECK_SOAP;
  for (const auto& [name, xml] : messages) {
    const auto path = dir / (name + ".xml");
    std::ofstream(path, std::ios::binary) << xml;
    command += " '" + path.string() + "'";
  }
  const std::string log = (dir / "check-soap.log").string();
  command += " >'" + log + "' 2>&1";
  const int status = std::system(command.c_str());
  result.output = ReadFile(log).value_or("");
  std::filesystem::remove_all(dir);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

std::string ProbeXml(std::string_view message_id, std::string_view body_children, bool soap11) {
  std::string env = soap11 ? "http://schemas.xmlsoap.org/soap/envelope/"
                           : "http://www.w3.org/2003/05/soap-envelope";
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<s:Envelope xmlns:s=\"" +
      env +
      "\""
      " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
      " xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
      "<s:Header><a:MessageID>";
  out += message_id;
  out +=
      "</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>"
      "<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>"
      "</s:Header><s:Body><d:Probe>";
  out += body_children;
  out += "</d:Probe></s:Body></s:Envelope>";
  return out;
}

std::string ResolveXml(std::string_view message_id, std::string_view epr) {
  std::string out =
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
      " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
      " xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
      "<s:Header><a:MessageID>";
  out += message_id;
  out +=
      "</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>"
      "<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Resolve</a:Action>"
      "</s:Header><s:Body><d:Resolve><a:EndpointReference><a:Address>";
  out += epr;
  out += "</a:Address></a:EndpointReference></d:Resolve></s:Body></s:Envelope>";
  return out;
}

namespace {

xmlNode* Find(xmlNode* node, std::string_view ns, std::string_view local) {
  for (xmlNode* n = node; n != nullptr; n = soap::NextElementSibling(n)) {
    if (soap::IsElement(n, ns, local)) return n;
    if (xmlNode* found = Find(soap::FirstElementChild(n), ns, local)) return found;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> ElementText(const std::string& xml, std::string_view ns,
                                       std::string_view local) {
  auto doc = soap::ParseXmlDocument(xml, soap::XmlLimits{});
  if (!doc) return std::nullopt;
  xmlNode* n = Find(xmlDocGetRootElement(doc->get()), ns, local);
  if (n == nullptr) return std::nullopt;
  return soap::TrimmedText(n);
}

std::optional<std::string> ElementAttribute(const std::string& xml, std::string_view ns,
                                            std::string_view local, const char* attr) {
  auto doc = soap::ParseXmlDocument(xml, soap::XmlLimits{});
  if (!doc) return std::nullopt;
  xmlNode* n = Find(xmlDocGetRootElement(doc->get()), ns, local);
  if (n == nullptr) return std::nullopt;
  xmlChar* v = xmlGetNoNsProp(n, reinterpret_cast<const xmlChar*>(attr));
  if (v == nullptr) return std::nullopt;
  std::string s = reinterpret_cast<const char*>(v);
  xmlFree(v);
  return s;
}

std::string BodyOperation(const std::string& xml) {
  auto doc = soap::ParseXmlDocument(xml, soap::XmlLimits{});
  if (!doc) return "";
  xmlNode* body = Find(xmlDocGetRootElement(doc->get()), soap::ns::kSoap12, "Body");
  xmlNode* op = soap::FirstElementChild(body);
  return op ? std::string(soap::LocalName(op)) : "";
}

UdpPeer::UdpPeer(const std::string& bind_ip, uint16_t port, bool reuse) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  const int one = 1;
  if (reuse) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, bind_ip.c_str(), &a.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return;
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  fd_ = fd;
}

UdpPeer::~UdpPeer() {
  if (fd_ >= 0) ::close(fd_);
}

bool UdpPeer::JoinGroup(const std::string& group) {
  ip_mreqn m{};
  if (::inet_pton(AF_INET, group.c_str(), &m.imr_multiaddr) != 1) return false;
  m.imr_address.s_addr = htonl(INADDR_ANY);
  return ::setsockopt(fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) == 0;
}

bool UdpPeer::EnableMulticastLoop() {
  const unsigned char one = 1;
  return ::setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_LOOP, &one, sizeof one) == 0;
}

bool UdpPeer::SendTo(std::string_view data, const std::string& ip, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1) return false;
  return ::sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a) ==
         static_cast<ssize_t>(data.size());
}

std::optional<std::string> UdpPeer::Receive(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return std::nullopt;
  std::string buf(65536, '\0');
  const ssize_t n = ::recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT);
  if (n < 0) return std::nullopt;
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

std::vector<std::string> UdpPeer::ReceiveN(std::size_t count, std::chrono::milliseconds timeout) {
  std::vector<std::string> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (auto d = Receive(left)) out.push_back(std::move(*d));
  }
  return out;
}

}  // namespace onvifgw::discovery::testing

// Arbitrary request bodies through the codec, over every generated request
// type: the input's root element picks the operation (as the SOAP endpoint
// does), DecodeElement must never crash, and whatever it accepts must
// survive Encode -> parse -> Decode unchanged (the codec's round trip).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "onvif/operation_table.h"
#include "soap/codec.h"
#include "soap/namespaces.h"
#include "soap/xml_document.h"

namespace {

using namespace onvifgw;

const onvif::OperationSchema* OperationFor(const xmlNode* root) {
  for (const auto& op : onvif::OperationSchemas()) {
    if (soap::IsElement(root, op.input.ns, op.input.name)) return &op;
    if (soap::IsElement(root, op.output.ns, op.output.name)) return &op;
  }
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto doc = soap::ParseXmlDocument(input, soap::XmlLimits{1 << 16, 32});
  if (!doc) return 0;
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  const onvif::OperationSchema* op = OperationFor(root);
  if (op == nullptr) return 0;
  const bool is_request =
      soap::NamespaceUri(root) == op->input.ns && soap::LocalName(root) == op->input.name;
  const google::protobuf::Message* prototype = is_request ? op->request : op->response;
  std::unique_ptr<google::protobuf::Message> first(prototype->New());
  if (!soap::DecodeElement(root, first.get())) return 0;
  // Written back, it must decode again, and from then on the round trip is
  // exact (the first pass may normalise: trimmed text, kept elements
  // re-serialised with their namespaces).
  const std::string prefix(soap::ns::PrefixForUri(soap::NamespaceUri(root)).value_or(""));
  const std::string name(soap::LocalName(root));
  auto round_trip = [&](const google::protobuf::Message& m) {
    const std::string written = soap::EncodeFragment(m, prefix, name);
    auto parsed = soap::ParseXmlDocument(written, soap::XmlLimits{1 << 22, 256});
    if (!parsed) std::abort();
    std::unique_ptr<google::protobuf::Message> back(prototype->New());
    if (!soap::DecodeElement(xmlDocGetRootElement(parsed->get()), back.get())) std::abort();
    return std::make_pair(written, std::move(back));
  };
  auto [first_text, second] = round_trip(*first);
  auto [second_text, third] = round_trip(*second);
  auto [third_text, fourth] = round_trip(*third);
  if (second_text != third_text) std::abort();
  return 0;
}

#pragma once
// The declared-once codec: ONVIF XML <-> the protobuf messages generated from
// the WSDL/XSD (proto/onvif/generated/, options in proto/onvif/xml.proto).
// One generic engine, driven by protobuf reflection, for every ONVIF type;
// handlers never build or read XML themselves.
//
// Thread-safe: per-type plans are built once (under a lock) and then only read.

#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/message.h>
#include <libxml/tree.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/expected.h"
#include "soap/fault.h"
#include "soap/xml_writer.h"

namespace onvifgw::soap {

/// Why a request body could not be decoded; `path` names the element
/// ("GetServices/IncludeCapability", "Profile/@token").
struct DecodeError {
  enum class Kind {
    kInvalidArgs,    ///< not of the declared type, missing or repeated element
    kInvalidArgVal,  ///< well-typed but outside the schema's values/facets
    kMissingAttr,    ///< a required attribute is absent
    kNamespace,      ///< an element of the right name in the wrong namespace
  };
  Kind kind = Kind::kInvalidArgs;
  std::string path;
  std::string reason;
};

/// The ONVIF generic fault (Core §5.8.2.2) for a decode error.
Fault DecodeFault(const DecodeError& error);

/// Writes `message` as the element <prefix:name> followed by its content.
/// Set fields are written, (required) ones always.
void EncodeElement(const google::protobuf::Message& message, std::string_view prefix,
                   std::string_view name, XmlWriter& out);

/// The same with the prefix of the message's own namespace (its file).
void EncodeElement(const google::protobuf::Message& message, std::string_view name, XmlWriter& out);

/// A self-contained element (every prefix it uses declared on itself), for
/// the xs:any slots ONVIF fills with typed content: a notification's
/// tt:Message, a service's capabilities in GetServices.
std::string EncodeFragment(const google::protobuf::Message& message, std::string_view prefix,
                           std::string_view name);

/// Fills `message` from `element`, checking what the schema requires (see
/// xml.proto). Children are matched by namespace URI and local name;
/// elements the type leaves open (xs:any) are kept raw; other unknown
/// children are ignored (a newer client's additions).
Status<DecodeError> DecodeElement(const xmlNode* element, google::protobuf::Message* message);

/// Decodes a kept xs:any element (an (any) field's value) into `message` if
/// it is the element {ns}name: true when decoded, false when it is another
/// element (left alone).
Expected<bool, DecodeError> DecodeKept(std::string_view kept, std::string_view ns,
                                       std::string_view name, google::protobuf::Message* message);

/// The namespace and local name of a kept xs:any element ({"", ""} if it
/// is no well-formed element).
std::pair<std::string, std::string> KeptElementName(std::string_view kept);

/// An enumeration value as the schema spells it, and back.
std::string_view EnumXmlValue(const google::protobuf::EnumValueDescriptor* value);
const google::protobuf::EnumValueDescriptor* EnumFromXmlValue(
    const google::protobuf::EnumDescriptor* type, std::string_view xml);

template <typename E>
std::string XmlValue(E value) {
  return std::string(
      EnumXmlValue(google::protobuf::GetEnumDescriptor<E>()->FindValueByNumber(value)));
}

template <typename E>
std::optional<E> FromXmlValue(std::string_view xml) {
  const auto* v = EnumFromXmlValue(google::protobuf::GetEnumDescriptor<E>(), xml);
  if (v == nullptr) return std::nullopt;
  return static_cast<E>(v->number());
}

}  // namespace onvifgw::soap

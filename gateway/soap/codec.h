#pragma once
// The declared-once codec: ONVIF XML <-> protobuf messages declared in
// proto/onvif/*.proto with the options of proto/onvif/xml.proto. One generic
// engine, driven by protobuf reflection, for every ONVIF type; handlers never
// build or read XML themselves.
//
// Thread-safe: per-type tables are built once (under a lock) and then only read.

#include <google/protobuf/message.h>
#include <libxml/tree.h>

#include <string>
#include <string_view>

#include "core/expected.h"
#include "soap/xml_writer.h"

namespace onvifgw::soap {

/// Why a request body could not be decoded; the path names the element
/// ("GetServices/IncludeCapability") so the fault can say what was wrong.
struct DecodeError {
  std::string path;
  std::string reason;
};

/// Writes `message` as the element <prefix:name> (prefix from the message's
/// file option) followed by its content. Required fields are always written.
void EncodeElement(const google::protobuf::Message& message, std::string_view name,
                   XmlWriter& out);

/// Writes `message` as the element its own type names (the top-level element
/// of a response: the message's type name in its file's namespace).
void EncodeTopLevel(const google::protobuf::Message& message, XmlWriter& out);

/// Fills `message` from `element`. Child elements are matched by local name
/// (clients disagree on prefixes and sometimes on namespaces: lenient in);
/// unknown children are ignored (ONVIF types carry extension points).
Status<DecodeError> DecodeElement(const xmlNode* element, google::protobuf::Message* message);

}  // namespace onvifgw::soap

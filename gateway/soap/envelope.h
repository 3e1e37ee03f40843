#pragma once
// Reading a SOAP request envelope and writing the response envelope.
//
// Requests: SOAP 1.2, SOAP 1.1 tolerated; the operation is the Body's first
// child element (namespace + local name), never SOAPAction (INTEROP §1.1).
// Responses: always SOAP 1.2, RelatesTo = the request's MessageID, every
// prefix declared on the Envelope.

#include <google/protobuf/message.h>
#include <libxml/tree.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "onvif/operation_table.h"
#include "soap/fault.h"
#include "soap/xml_document.h"

namespace onvifgw::soap {

enum class SoapVersion { k11, k12 };

/// A parsed request. Node pointers point into `doc` and live as long as it.
struct SoapRequest {
  XmlDocPtr doc;
  SoapVersion version = SoapVersion::k12;
  xmlNode* header = nullptr;        ///< env:Header, or nullptr
  xmlNode* operation = nullptr;     ///< first child of env:Body
  std::string_view operation_ns;    ///< its namespace URI
  std::string_view operation_name;  ///< its local name
  std::string message_id;           ///< wsa:MessageID (2005/08 or 2004/08), may be empty
  std::string action;               ///< wsa:Action, may be empty
};

Expected<SoapRequest, Fault> ParseEnvelope(std::string_view bytes, const XmlLimits& limits);

/// What goes back: WS-Addressing headers are written only when the request
/// used them (it had a MessageID).
struct ResponseAddressing {
  std::string relates_to;  ///< the request's MessageID
  std::string action;      ///< wsa:Action of the response
};

/// `body` written as the element `element` (the operation's output element).
std::string WriteResponseEnvelope(const google::protobuf::Message& body,
                                  const onvif::QualifiedName& element,
                                  const ResponseAddressing& addressing);
std::string WriteFaultEnvelope(const Fault& fault, const ResponseAddressing& addressing);

/// A one-way message the gateway sends (a Notify to a consumer): its
/// WS-Addressing headers, and the reference parameters of the endpoint
/// reference it is sent to, each marked wsa:IsReferenceParameter.
struct MessageAddressing {
  std::string message_id;
  std::string to;
  std::string action;
  std::vector<std::string> reference_parameters;  ///< elements, as kept from the EPR
};
std::string WriteMessageEnvelope(const google::protobuf::Message& body,
                                 const onvif::QualifiedName& element,
                                 const MessageAddressing& addressing);

}  // namespace onvifgw::soap

#pragma once
// Hardened XML parsing with libxml2 for bytes that come from the network.
//
// No network access, no DTD (a DOCTYPE is refused outright, so no entity can
// be declared or expanded), no external entities, a size limit and a depth
// limit. Thread-safe: each call uses its own parser context.

#include <libxml/tree.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/expected.h"

namespace onvifgw::soap {

struct XmlLimits {
  std::size_t max_bytes = 1 << 20;  ///< Larger input is refused before parsing.
  int max_depth = 64;               ///< Deeper element nesting is refused.
};

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

/// Why a document was refused; `message` is safe to show to the peer.
struct XmlError {
  std::string message;
};

Expected<XmlDocPtr, XmlError> ParseXmlDocument(std::string_view bytes, const XmlLimits& limits);

/// Helpers for reading a parsed tree without caring about prefixes.
bool IsElement(const xmlNode* node, std::string_view ns_uri, std::string_view local_name);
std::string_view LocalName(const xmlNode* node);
std::string_view NamespaceUri(const xmlNode* node);
/// First element child, or nullptr.
xmlNode* FirstElementChild(xmlNode* node);
xmlNode* NextElementSibling(xmlNode* node);
/// Concatenated text content with surrounding XML whitespace removed.
std::string TrimmedText(const xmlNode* node);

/// The element as XML text that stands on its own: every namespace it uses
/// is declared on it (for xs:any content kept and written back later).
std::string SerializeElement(const xmlNode* element);
/// The element's content (child elements and text) as XML text, each child
/// element standing on its own.
std::string SerializeContent(const xmlNode* element);

}  // namespace onvifgw::soap

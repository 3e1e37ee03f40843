#include "soap/xml_document.h"

#include <libxml/dict.h>
#include <libxml/parser.h>

#include <algorithm>
#include <cstring>

#include "soap/xml_writer.h"

namespace onvifgw::soap {
namespace {

// Structural errors are found without building a tree: a DOCTYPE anywhere
// (SOAP forbids DTDs; refusing them removes every entity attack at once).
bool ContainsDoctype(std::string_view bytes) {
  static constexpr std::string_view kNeedle = "<!DOCTYPE";
  // Only "<!" can start one: jump between those with memchr-speed find.
  for (std::size_t pos = bytes.find("<!"); pos != std::string_view::npos;
       pos = bytes.find("<!", pos + 2)) {
    std::string_view rest = bytes.substr(pos);
    if (rest.size() < kNeedle.size()) return false;
    bool match = true;
    for (std::size_t i = 2; i < kNeedle.size() && match; ++i) {
      match = std::toupper(static_cast<unsigned char>(rest[i])) == kNeedle[i];
    }
    if (match) return true;
  }
  return false;
}

bool DepthWithin(const xmlNode* node, int depth, int max_depth) {
  if (depth > max_depth) return false;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && !DepthWithin(c, depth + 1, max_depth)) return false;
  }
  return true;
}

}  // namespace

Expected<XmlDocPtr, XmlError> ParseXmlDocument(std::string_view bytes, const XmlLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return MakeUnexpected(XmlError{"XML document exceeds the size limit"});
  }
  if (ContainsDoctype(bytes)) {
    return MakeUnexpected(XmlError{"DTDs are not allowed in SOAP messages"});
  }
  // NONET: never fetch anything. No NOENT/DTDLOAD/DTDATTR/XINCLUDE: nothing is
  // substituted or loaded. NOERROR/NOWARNING: keep libxml2 off stderr.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_NOCDATA | XML_PARSE_NSCLEAN;
  // One parser context per thread, reset between documents: creating one
  // (with its dictionary) costs more than parsing a typical request.
  struct CtxtFree {
    void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
  };
  thread_local std::unique_ptr<xmlParserCtxt, CtxtFree> cached(xmlNewParserCtxt());
  xmlParserCtxtPtr ctxt = cached.get();
  if (ctxt == nullptr) return MakeUnexpected(XmlError{"out of memory"});
  xmlDoc* raw = xmlCtxtReadMemory(ctxt, bytes.data(), static_cast<int>(bytes.size()), nullptr,
                                  nullptr, options);
  std::string reason;
  if (raw == nullptr) {
    const xmlError* err = xmlCtxtGetLastError(ctxt);
    reason = "malformed XML";
    if (err != nullptr && err->message != nullptr) {
      std::string msg = err->message;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      reason += " at line " + std::to_string(err->line) + ": " + msg;
    }
  }
  xmlCtxtReset(ctxt);
  // The context's name dictionary outlives documents; names a peer invents
  // would pile up in it, so it is replaced once it has grown.
  if (ctxt->dict == nullptr || xmlDictSize(ctxt->dict) > 4096) cached.reset(xmlNewParserCtxt());
  if (raw == nullptr) return MakeUnexpected(XmlError{reason});
  XmlDocPtr doc(raw);
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return MakeUnexpected(XmlError{"DTDs are not allowed in SOAP messages"});
  }
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return MakeUnexpected(XmlError{"empty XML document"});
  if (!DepthWithin(root, 1, limits.max_depth)) {
    return MakeUnexpected(XmlError{"XML nesting exceeds the depth limit"});
  }
  return doc;
}

std::string_view LocalName(const xmlNode* node) {
  return node->name ? reinterpret_cast<const char*>(node->name) : "";
}

std::string_view NamespaceUri(const xmlNode* node) {
  if (node->ns == nullptr || node->ns->href == nullptr) return "";
  return reinterpret_cast<const char*>(node->ns->href);
}

bool IsElement(const xmlNode* node, std::string_view ns_uri, std::string_view local_name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && LocalName(node) == local_name &&
         NamespaceUri(node) == ns_uri;
}

xmlNode* FirstElementChild(xmlNode* node) {
  for (xmlNode* c = node ? node->children : nullptr; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return c;
  }
  return nullptr;
}

xmlNode* NextElementSibling(xmlNode* node) {
  for (xmlNode* c = node ? node->next : nullptr; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return c;
  }
  return nullptr;
}

std::string TrimmedText(const xmlNode* node) {
  std::string text;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      text += reinterpret_cast<const char*>(c->content);
    }
  }
  auto is_ws = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; };
  std::size_t b = 0;
  std::size_t e = text.size();
  while (b < e && is_ws(text[b])) ++b;
  while (e > b && is_ws(text[e - 1])) --e;
  return text.substr(b, e - b);
}

std::string SerializeElement(const xmlNode* element) {
  // A copy in a document of its own: libxml2 declares on the copy's root the
  // namespaces that were declared on the original's ancestors.
  XmlDocPtr doc(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")));
  xmlNode* copy = xmlDocCopyNode(const_cast<xmlNode*>(element), doc.get(), 1);
  if (copy == nullptr) return {};
  xmlDocSetRootElement(doc.get(), copy);
  xmlReconciliateNs(doc.get(), copy);
  // A prefix used only in text (a QName such as a topic expression) keeps its
  // meaning: a namespace in scope at the original whose prefix appears in the
  // text as "prefix:" is declared on the copy too.
  if (xmlNsPtr* in_scope = xmlGetNsList(element->doc, element)) {
    xmlChar* content = xmlNodeGetContent(element);
    const std::string_view text = content ? reinterpret_cast<const char*>(content) : "";
    for (xmlNsPtr* n = in_scope; *n != nullptr; ++n) {
      if ((*n)->prefix == nullptr || xmlSearchNs(doc.get(), copy, (*n)->prefix) != nullptr) {
        continue;
      }
      const std::string qualified = std::string(reinterpret_cast<const char*>((*n)->prefix)) + ":";
      if (text.find(qualified) != std::string_view::npos) xmlNewNs(copy, (*n)->href, (*n)->prefix);
    }
    xmlFree(content);
    xmlFree(in_scope);
  }
  xmlBufferPtr buf = xmlBufferCreate();
  xmlNodeDump(buf, doc.get(), copy, 0, 0);
  std::string out(reinterpret_cast<const char*>(xmlBufferContent(buf)),
                  static_cast<std::size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return out;
}

std::string SerializeContent(const xmlNode* element) {
  std::string out;
  for (const xmlNode* c = element->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      out += SerializeElement(c);
    } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      XmlWriter::AppendEscaped(out, reinterpret_cast<const char*>(c->content), false);
    }
  }
  return out;
}

}  // namespace onvifgw::soap

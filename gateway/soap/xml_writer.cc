#include "soap/xml_writer.h"

namespace onvifgw::soap {

void XmlWriter::AppendEscaped(std::string& out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        if (attribute) {
          out += "&quot;";
        } else {
          out += c;
        }
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
      case '\t':
        if (attribute) {
          out += c == '\n' ? "&#10;" : "&#9;";
        } else {
          out += c;
        }
        break;
      default:
        // XML 1.0 forbids other C0 controls even as references: drop them.
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
}

void XmlWriter::CloseStartTag() {
  if (start_open_) {
    out_ += '>';
    start_open_ = false;
  }
}

void XmlWriter::Start(std::string_view prefix, std::string_view name) {
  CloseStartTag();
  out_ += '<';
  if (!prefix.empty()) {
    if (used_prefixes_.find(prefix) == used_prefixes_.end()) used_prefixes_.emplace(prefix);
    out_ += prefix;
    out_ += ':';
  }
  out_ += name;
  start_open_ = true;
}

void XmlWriter::Attribute(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  AppendEscaped(out_, value, true);
  out_ += '"';
}

void XmlWriter::Text(std::string_view text) {
  if (text.empty()) return;  // keeps <a/> for empty content
  CloseStartTag();
  AppendEscaped(out_, text, false);
}

void XmlWriter::Raw(std::string_view xml) {
  if (xml.empty()) return;
  CloseStartTag();
  out_ += xml;
}

void XmlWriter::End(std::string_view prefix, std::string_view name) {
  if (start_open_) {
    out_ += "/>";
    start_open_ = false;
    return;
  }
  out_ += "</";
  if (!prefix.empty()) {
    out_ += prefix;
    out_ += ':';
  }
  out_ += name;
  out_ += '>';
}

}  // namespace onvifgw::soap

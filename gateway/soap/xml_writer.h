#pragma once
// Appends well-formed XML to a string. The only place where the gateway turns
// text into markup: every value passes through the escaping here.

#include <set>
#include <string>
#include <string_view>

namespace onvifgw::soap {

class XmlWriter {
 public:
  explicit XmlWriter(std::string& out) : out_(out) {}

  /// Opens <prefix:name (or <name for an empty prefix: no namespace); attributes may follow until
  /// the next Content/Start/End.
  void Start(std::string_view prefix, std::string_view name);
  void Attribute(std::string_view name, std::string_view value);
  /// Character data inside the current element.
  void Text(std::string_view text);
  /// Appends XML that is already well-formed and self-contained (a kept
  /// xs:any element, or one EncodeFragment wrote).
  void Raw(std::string_view xml);
  /// Closes the innermost element (self-closing when it is still empty).
  void End(std::string_view prefix, std::string_view name);

  /// Records a prefix used inside text (a QName value) so it gets declared.
  void UsePrefix(std::string_view prefix) { used_prefixes_.emplace(prefix); }
  /// Prefixes used by Start() so far: the envelope declares exactly these.
  const std::set<std::string, std::less<>>& used_prefixes() const { return used_prefixes_; }

  static void AppendEscaped(std::string& out, std::string_view text, bool attribute);

 private:
  void CloseStartTag();
  std::string& out_;
  bool start_open_ = false;
  std::set<std::string, std::less<>> used_prefixes_;
};

}  // namespace onvifgw::soap

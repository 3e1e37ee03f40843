#include "soap/codec.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "core/base64.h"
#include "core/hex.h"
#include "onvif/xml.pb.h"
#include "soap/namespaces.h"
#include "soap/xml_document.h"
#include "soap/xsd_lexical.h"

namespace onvifgw::soap {
namespace pb = google::protobuf;

namespace {

constexpr std::string_view kXsi = "http://www.w3.org/2001/XMLSchema-instance";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

enum class Kind : std::uint8_t { kElement, kAttribute, kText, kAny, kAnyAttribute, kRaw };

enum class Lexical : std::uint8_t {
  kNone,
  kDuration,
  kDateTime,
  kDate,
  kTime,
  kAnyUri,
  kQName,
  kNCName,
  kDecimal,
  kHex,
  kDateTimeOrDuration,  // wsnt:AbsoluteOrRelativeTimeType
};

Lexical LexicalFor(const std::string& xsd_type) {
  static const std::unordered_map<std::string, Lexical> kTable = {
      {"duration", Lexical::kDuration}, {"dateTime", Lexical::kDateTime},
      {"date", Lexical::kDate},         {"time", Lexical::kTime},
      {"anyURI", Lexical::kAnyUri},     {"QName", Lexical::kQName},
      {"NCName", Lexical::kNCName},     {"decimal", Lexical::kDecimal},
      {"hexBinary", Lexical::kHex},     {"dateTime duration", Lexical::kDateTimeOrDuration},
  };
  auto it = kTable.find(xsd_type);
  return it == kTable.end() ? Lexical::kNone : it->second;
}

// An enum's XML spellings, both ways.
struct EnumPlan {
  std::vector<std::string> xml_by_index;
  std::unordered_map<std::string, const pb::EnumValueDescriptor*> by_xml;
};

struct FieldPlan {
  const pb::FieldDescriptor* field = nullptr;
  std::string xml_name;  // as written: local name, or "prefix:local" for attributes
  std::string local;     // local part of the name
  std::string prefix;    // element prefix; empty = unqualified
  std::string_view uri;  // namespace URI of the element or attribute
  Kind kind = Kind::kElement;
  bool required = false;
  bool list = false;
  bool qname = false;
  Lexical lexical = Lexical::kNone;
  std::optional<double> min_value, max_value;
  std::optional<std::uint32_t> min_length, max_length;
  std::unique_ptr<std::regex> pattern;
  std::string pattern_text;
  std::uint32_t min_occurs = 0;
  std::uint32_t max_occurs = 0;  // 0 = unbounded (repeated) / 1 for singular
  const EnumPlan* enum_plan = nullptr;
  std::size_t index = 0;
};

struct TypePlan {
  std::string prefix;
  std::vector<FieldPlan> fields;
  std::vector<const FieldPlan*> attributes;
  std::vector<const FieldPlan*> children;  // element and raw fields
  const FieldPlan* text = nullptr;
  const FieldPlan* any = nullptr;
  const FieldPlan* any_attribute = nullptr;
  std::string type_prefix, type_local;  // (xml_type), empty for anonymous types
  // Members of each xs:choice of repeated elements (at most one may occur).
  std::vector<std::vector<const FieldPlan*>> choices;
};

std::string_view UriOf(std::string_view prefix) {
  if (prefix == "xml") return kXmlNs;
  return ns::UriForPrefix(prefix).value_or("");
}

const EnumPlan* EnumPlanFor(const pb::EnumDescriptor* e) {
  static std::mutex mu;
  static std::unordered_map<const pb::EnumDescriptor*, std::unique_ptr<EnumPlan>> plans;
  std::lock_guard lock(mu);
  auto& slot = plans[e];
  if (!slot) {
    slot = std::make_unique<EnumPlan>();
    for (int i = 0; i < e->value_count(); ++i) {
      const pb::EnumValueDescriptor* v = e->value(i);
      const auto& o = v->options();
      std::string xml = o.HasExtension(onvif::xml_value) ? o.GetExtension(onvif::xml_value)
                                                         : std::string(v->name());
      slot->by_xml.emplace(xml, v);
      slot->xml_by_index.push_back(std::move(xml));
    }
  }
  return slot.get();
}

std::unique_ptr<TypePlan> BuildPlan(const pb::Descriptor* d) {
  auto plan = std::make_unique<TypePlan>();
  plan->prefix = d->file()->options().GetExtension(onvif::xml_ns);
  if (d->options().HasExtension(onvif::xml_type)) {
    const std::string& t = d->options().GetExtension(onvif::xml_type);
    const auto colon = t.find(':');
    plan->type_prefix = t.substr(0, colon);
    plan->type_local = t.substr(colon + 1);
  }
  plan->fields.resize(static_cast<std::size_t>(d->field_count()));
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    const auto& o = f->options();
    FieldPlan& fp = plan->fields[static_cast<std::size_t>(i)];
    fp.field = f;
    fp.index = static_cast<std::size_t>(i);
    fp.xml_name = o.HasExtension(onvif::name) ? o.GetExtension(onvif::name) : f->name();
    if (o.GetExtension(onvif::attribute)) {
      fp.kind = Kind::kAttribute;
    } else if (o.GetExtension(onvif::text)) {
      fp.kind = Kind::kText;
    } else if (o.GetExtension(onvif::any)) {
      fp.kind = Kind::kAny;
    } else if (o.GetExtension(onvif::any_attribute)) {
      fp.kind = Kind::kAnyAttribute;
    } else if (o.GetExtension(onvif::raw)) {
      fp.kind = Kind::kRaw;
    }
    if (fp.kind == Kind::kAttribute) {
      const auto colon = fp.xml_name.find(':');
      if (colon != std::string::npos) {
        fp.prefix = fp.xml_name.substr(0, colon);
        fp.local = fp.xml_name.substr(colon + 1);
        fp.uri = UriOf(fp.prefix);
      } else {
        fp.local = fp.xml_name;
      }
    } else {
      fp.local = fp.xml_name;
      fp.prefix = o.HasExtension(onvif::field_ns) ? o.GetExtension(onvif::field_ns) : plan->prefix;
      if (fp.prefix == "-") fp.prefix.clear();  // unqualified element
      fp.uri = UriOf(fp.prefix);
    }
    fp.required = o.GetExtension(onvif::required);
    fp.list = o.GetExtension(onvif::list);
    const std::string& xsd_type = o.GetExtension(onvif::xsd_type);
    fp.lexical = LexicalFor(xsd_type);
    fp.qname = o.GetExtension(onvif::qname) || fp.lexical == Lexical::kQName;
    if (o.HasExtension(onvif::min_value)) fp.min_value = o.GetExtension(onvif::min_value);
    if (o.HasExtension(onvif::max_value)) fp.max_value = o.GetExtension(onvif::max_value);
    if (o.HasExtension(onvif::min_length)) fp.min_length = o.GetExtension(onvif::min_length);
    if (o.HasExtension(onvif::max_length)) fp.max_length = o.GetExtension(onvif::max_length);
    if (o.HasExtension(onvif::pattern)) {
      fp.pattern_text = o.GetExtension(onvif::pattern);
      try {
        fp.pattern = std::make_unique<std::regex>(fp.pattern_text, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        fp.pattern.reset();  // an XSD-only construct: the facet is not checked
      }
    }
    fp.min_occurs = o.GetExtension(onvif::min_occurs);
    fp.max_occurs = f->is_repeated() && !fp.list ? o.GetExtension(onvif::max_occurs) : 1;
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_ENUM) {
      fp.enum_plan = EnumPlanFor(f->enum_type());
    }
  }
  std::unordered_map<std::string, std::size_t> choice_index;
  for (const FieldPlan& fp : plan->fields) {
    const std::string& choice = fp.field->options().GetExtension(onvif::choice);
    if (!choice.empty()) {
      auto [it, inserted] = choice_index.emplace(choice, plan->choices.size());
      if (inserted) plan->choices.emplace_back();
      plan->choices[it->second].push_back(&fp);
    }
    switch (fp.kind) {
      case Kind::kAttribute:
        plan->attributes.push_back(&fp);
        break;
      case Kind::kText:
        plan->text = &fp;
        break;
      case Kind::kAny:
        plan->any = &fp;
        break;
      case Kind::kAnyAttribute:
        plan->any_attribute = &fp;
        break;
      case Kind::kElement:
      case Kind::kRaw:
        plan->children.push_back(&fp);
        break;
    }
  }
  return plan;
}

const TypePlan& PlanFor(const pb::Descriptor* d) {
  // A per-thread cache in front of the shared table: the hot path takes no lock.
  thread_local std::unordered_map<const pb::Descriptor*, const TypePlan*> local;
  if (auto it = local.find(d); it != local.end()) return *it->second;
  static std::shared_mutex mu;
  static std::unordered_map<const pb::Descriptor*, std::unique_ptr<TypePlan>> plans;
  const TypePlan* found = nullptr;
  {
    std::shared_lock lock(mu);
    if (auto it = plans.find(d); it != plans.end()) found = it->second.get();
  }
  if (found == nullptr) {
    auto plan = BuildPlan(d);
    std::unique_lock lock(mu);
    auto [it, inserted] = plans.emplace(d, std::move(plan));
    found = it->second.get();
  }
  local.emplace(d, found);
  return *found;
}

// ------------------------------------------------------------------ encode

std::string FormatFloat(double v) {
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// An xs:float as the shortest text that reads back as the same float (0.001f
// is "0.001", not the double expansion of the float's binary value).
std::string FormatFloat(float v) {
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string ScalarToString(const pb::Message& m, const FieldPlan& fp, int index) {
  const pb::FieldDescriptor* f = fp.field;
  const pb::Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return std::to_string(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      return FormatFloat(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      return FormatFloat(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      std::string s = rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
      if (f->type() != pb::FieldDescriptor::TYPE_BYTES) return s;
      return fp.lexical == Lexical::kHex ? HexEncode(s, HexCase::kUpper) : Base64Encode(s);
    }
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumValueDescriptor* v = rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f);
      return fp.enum_plan->xml_by_index[static_cast<std::size_t>(v->index())];
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return {};
}

// The lexical value of a scalar field: one value, or an xs:list.
std::string ValueText(const pb::Message& m, const FieldPlan& fp) {
  if (!fp.list) return ScalarToString(m, fp, 0);
  std::string out;
  const int n = m.GetReflection()->FieldSize(m, fp.field);
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ' ';
    out += ScalarToString(m, fp, i);
  }
  return out;
}

// Written when set; a required field always.
bool Present(const pb::Message& m, const FieldPlan& fp) {
  const pb::FieldDescriptor* f = fp.field;
  if (f->is_repeated()) return m.GetReflection()->FieldSize(m, f) > 0 || (fp.list && fp.required);
  return fp.required || m.GetReflection()->HasField(m, f);
}

// Declares the prefix of a QName-valued field ("tt:ReferenceToken").
void NoteQNamePrefix(const FieldPlan& fp, const std::string& value, XmlWriter& out) {
  if (!fp.qname) return;
  const auto colon = value.find(':');
  if (colon != std::string::npos) out.UsePrefix(value.substr(0, colon));
}

void EncodeContent(const pb::Message& m, const TypePlan& plan, XmlWriter& out);

void EncodeAnyAttributes(const pb::Message& m, const FieldPlan& fp, XmlWriter& out) {
  const pb::Reflection* r = m.GetReflection();
  const int n = r->FieldSize(m, fp.field);
  int declared = 0;
  for (int i = 0; i < n; ++i) {
    const auto& a = static_cast<const onvif::XmlAttribute&>(r->GetRepeatedMessage(m, fp.field, i));
    if (a.ns().empty()) {
      out.Attribute(a.name(), a.value());
      continue;
    }
    std::string prefix(ns::PrefixForUri(a.ns()).value_or(""));
    if (prefix.empty()) {
      // A namespace the gateway has no prefix for: declared on this element.
      prefix = "ns" + std::to_string(declared++);
      out.Attribute("xmlns:" + prefix, a.ns());
    } else if (prefix != "xml") {
      out.UsePrefix(prefix);
    }
    out.Attribute(prefix + ":" + a.name(), a.value());
  }
}

void EncodeField(const pb::Message& m, const FieldPlan& fp, XmlWriter& out) {
  const pb::FieldDescriptor* f = fp.field;
  const pb::Reflection* r = m.GetReflection();
  if (fp.kind == Kind::kRaw) {
    const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      out.Start(fp.prefix, fp.xml_name);
      out.Raw(f->is_repeated() ? r->GetRepeatedString(m, f, i) : r->GetString(m, f));
      out.End(fp.prefix, fp.xml_name);
    }
    return;
  }
  if (fp.list) {
    out.Start(fp.prefix, fp.xml_name);
    const std::string value = ValueText(m, fp);
    NoteQNamePrefix(fp, value, out);
    out.Text(value);
    out.End(fp.prefix, fp.xml_name);
    return;
  }
  const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
  for (int i = 0; i < n; ++i) {
    out.Start(fp.prefix, fp.xml_name);
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      // An unset required message is written as its default: an element
      // with its own required content.
      const pb::Message& child =
          f->is_repeated() ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f);
      EncodeContent(child, PlanFor(child.GetDescriptor()), out);
    } else {
      const std::string value = ScalarToString(m, fp, i);
      NoteQNamePrefix(fp, value, out);
      out.Text(value);
    }
    out.End(fp.prefix, fp.xml_name);
  }
}

void EncodeContent(const pb::Message& m, const TypePlan& plan, XmlWriter& out) {
  // Attributes first: they belong to the start tag.
  for (const FieldPlan* fp : plan.attributes) {
    if (!Present(m, *fp)) continue;
    const std::string value = ValueText(m, *fp);
    NoteQNamePrefix(*fp, value, out);
    if (!fp->prefix.empty() && fp->prefix != "xml") out.UsePrefix(fp->prefix);
    out.Attribute(fp->xml_name, value);
  }
  if (plan.any_attribute != nullptr) EncodeAnyAttributes(m, *plan.any_attribute, out);
  for (const FieldPlan& fp : plan.fields) {
    switch (fp.kind) {
      case Kind::kAttribute:
      case Kind::kAnyAttribute:
        break;
      case Kind::kText:
        if (Present(m, fp)) {
          const std::string value = ValueText(m, fp);
          NoteQNamePrefix(fp, value, out);
          out.Text(value);
        }
        break;
      case Kind::kAny: {
        const pb::Reflection* r = m.GetReflection();
        const int n = r->FieldSize(m, fp.field);
        for (int i = 0; i < n; ++i) out.Raw(r->GetRepeatedString(m, fp.field, i));
        break;
      }
      case Kind::kElement:
      case Kind::kRaw:
        if (Present(m, fp)) EncodeField(m, fp, out);
        break;
    }
  }
}

// ------------------------------------------------------------------ decode

using Kinds = DecodeError::Kind;

struct ValueError {
  Kinds kind;
  std::string reason;
};

template <typename T>
bool ParseInteger(std::string_view s, T* out) {
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && p == e && b != e;
}

std::optional<ValueError> CheckRange(const FieldPlan& fp, double v) {
  if ((fp.min_value && v < *fp.min_value) || (fp.max_value && v > *fp.max_value)) {
    // Appended piecewise: GCC 12 at -O3 flags `"[" + std::string` with a
    // bogus -Wrestrict (GCC bug 105329).
    std::string reason = "out of range [";
    reason += fp.min_value ? FormatFloat(*fp.min_value) : "-INF";
    reason += ", ";
    reason += fp.max_value ? FormatFloat(*fp.max_value) : "INF";
    reason += ']';
    return ValueError{Kinds::kInvalidArgVal, std::move(reason)};
  }
  return std::nullopt;
}

std::optional<ValueError> CheckString(const FieldPlan& fp, const std::string& s) {
  switch (fp.lexical) {
    case Lexical::kDuration:
      if (!xsd::IsDuration(s)) return ValueError{Kinds::kInvalidArgs, "not an xs:duration"};
      break;
    case Lexical::kDateTime:
      if (!xsd::IsDateTime(s)) return ValueError{Kinds::kInvalidArgs, "not an xs:dateTime"};
      break;
    case Lexical::kDate:
      if (!xsd::IsDate(s)) return ValueError{Kinds::kInvalidArgs, "not an xs:date"};
      break;
    case Lexical::kTime:
      if (!xsd::IsTime(s)) return ValueError{Kinds::kInvalidArgs, "not an xs:time"};
      break;
    case Lexical::kAnyUri:
      if (!xsd::IsAnyUri(s)) return ValueError{Kinds::kInvalidArgs, "not an xs:anyURI"};
      break;
    case Lexical::kQName:
      if (!xsd::IsQName(s)) return ValueError{Kinds::kInvalidArgs, "not an xs:QName"};
      break;
    case Lexical::kNCName:
      if (!xsd::IsNCName(s)) return ValueError{Kinds::kInvalidArgs, "not an xs:NCName"};
      break;
    case Lexical::kDateTimeOrDuration:
      if (!xsd::IsDateTime(s) && !xsd::IsDuration(s)) {
        return ValueError{Kinds::kInvalidArgs, "neither an xs:dateTime nor an xs:duration"};
      }
      break;
    case Lexical::kDecimal:
    case Lexical::kHex:
    case Lexical::kNone:
      break;
  }
  if (fp.min_length || fp.max_length) {
    // Characters for text, octets for binary (XSD length facets).
    const std::size_t n =
        fp.field->type() == pb::FieldDescriptor::TYPE_BYTES ? s.size() : xsd::CharacterCount(s);
    if ((fp.min_length && n < *fp.min_length) || (fp.max_length && n > *fp.max_length)) {
      return ValueError{Kinds::kInvalidArgVal,
                        "length " + std::to_string(n) + " outside [" +
                            std::to_string(fp.min_length.value_or(0)) + ", " +
                            (fp.max_length ? std::to_string(*fp.max_length) : "unbounded") + "]"};
    }
  }
  if (fp.pattern && !std::regex_match(s, *fp.pattern)) {
    return ValueError{Kinds::kInvalidArgVal, "does not match the pattern " + fp.pattern_text};
  }
  return std::nullopt;
}

// Sets (or appends to) a scalar field from one XML lexical value.
std::optional<ValueError> SetScalar(pb::Message* m, const FieldPlan& fp, const std::string& s) {
  const pb::FieldDescriptor* f = fp.field;
  const pb::Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  auto not_a = [](const char* type) {
    return ValueError{Kinds::kInvalidArgs, std::string("not ") + type};
  };
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (s == "true" || s == "1") {
        v = true;
      } else if (s == "false" || s == "0") {
        v = false;
      } else {
        return not_a("an xs:boolean");
      }
      rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_INT32: {
      std::int32_t v;
      if (!ParseInteger(s, &v)) return not_a("an integer of 32 bits");
      if (auto e = CheckRange(fp, v)) return e;
      rep ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_INT64: {
      std::int64_t v;
      if (!ParseInteger(s, &v)) return not_a("an integer of 64 bits");
      if (auto e = CheckRange(fp, static_cast<double>(v))) return e;
      rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_UINT32: {
      std::uint32_t v;
      if (!ParseInteger(s, &v)) return not_a("an unsigned integer of 32 bits");
      if (auto e = CheckRange(fp, v)) return e;
      rep ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_UINT64: {
      std::uint64_t v;
      if (!ParseInteger(s, &v)) return not_a("an unsigned integer of 64 bits");
      if (auto e = CheckRange(fp, static_cast<double>(v))) return e;
      rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: {
      auto v = xsd::ParseDouble(s);
      if (!v) return not_a("a number");
      if (auto e = CheckRange(fp, *v)) return e;
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_FLOAT) {
        const auto fv = static_cast<float>(*v);
        rep ? r->AddFloat(m, f, fv) : r->SetFloat(m, f, fv);
      } else {
        rep ? r->AddDouble(m, f, *v) : r->SetDouble(m, f, *v);
      }
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
        auto bytes = fp.lexical == Lexical::kHex ? HexDecode(s) : xsd::Base64BinaryDecode(s);
        if (!bytes) return not_a(fp.lexical == Lexical::kHex ? "xs:hexBinary" : "xs:base64Binary");
        if (auto e = CheckString(fp, *bytes)) return e;
        rep ? r->AddString(m, f, std::move(*bytes)) : r->SetString(m, f, std::move(*bytes));
        return std::nullopt;
      }
      if (fp.lexical == Lexical::kDecimal && !xsd::IsDecimal(s)) return not_a("an xs:decimal");
      if (auto e = CheckString(fp, s)) return e;
      rep ? r->AddString(m, f, s) : r->SetString(m, f, s);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      auto it = fp.enum_plan->by_xml.find(s);
      if (it == fp.enum_plan->by_xml.end()) {
        return ValueError{Kinds::kInvalidArgVal, "'" + s + "' is not one of the schema's values"};
      }
      rep ? r->AddEnum(m, f, it->second) : r->SetEnum(m, f, it->second);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return not_a("a simple value");
}

// One value, or each whitespace-separated item of an xs:list.
std::optional<ValueError> SetValue(pb::Message* m, const FieldPlan& fp, const std::string& s) {
  if (!fp.list) return SetScalar(m, fp, s);
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t start = s.find_first_not_of(" \t\r\n", pos);
    if (start == std::string::npos) break;
    const std::size_t end = std::min(s.find_first_of(" \t\r\n", start), s.size());
    if (auto e = SetScalar(m, fp, s.substr(start, end - start))) return e;
    pos = end;
  }
  return std::nullopt;
}

DecodeError Error(Kinds kind, std::string path, std::string reason) {
  return DecodeError{kind, std::move(path), std::move(reason)};
}

std::string AttrValue(const xmlAttr* a) {
  std::string v;
  for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
    if (c->content) v += reinterpret_cast<const char*>(c->content);
  }
  return v;
}

// The (namespace URI, local name) of a QName value, resolved where it occurs.
std::pair<std::string, std::string> ResolveQName(const xmlNode* element, const std::string& value) {
  const auto colon = value.find(':');
  const std::string prefix = colon == std::string::npos ? "" : value.substr(0, colon);
  const std::string local = colon == std::string::npos ? value : value.substr(colon + 1);
  const xmlNs* n =
      xmlSearchNs(element->doc, const_cast<xmlNode*>(element),
                  prefix.empty() ? nullptr : reinterpret_cast<const xmlChar*>(prefix.c_str()));
  return {n && n->href ? reinterpret_cast<const char*>(n->href) : "", local};
}

// xsi:type may name the field's own type or one derived from it.
std::optional<DecodeError> CheckXsiType(const xmlNode* element, const TypePlan& plan,
                                        const std::string& path) {
  const xmlAttr* a = xmlHasNsProp(element, reinterpret_cast<const xmlChar*>("type"),
                                  reinterpret_cast<const xmlChar*>(kXsi.data()));
  if (a == nullptr || plan.type_local.empty()) return std::nullopt;
  auto [uri, local] = ResolveQName(element, AttrValue(a));
  const std::string_view want_uri = UriOf(plan.type_prefix);
  // Walk from the named type up its xml_base chain until the field's type.
  for (int depth = 0; depth < 16; ++depth) {
    if (uri == want_uri && local == plan.type_local) return std::nullopt;
    auto prefix = ns::PrefixForUri(uri);
    if (!prefix) break;
    const pb::Descriptor* d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(
        "onvifgw.onvif." + std::string(*prefix) + "." + local);
    if (d == nullptr || !d->options().HasExtension(onvif::xml_base)) break;
    const std::string& base = d->options().GetExtension(onvif::xml_base);
    const auto colon = base.find(':');
    uri = std::string(UriOf(base.substr(0, colon)));
    local = base.substr(colon + 1);
  }
  return Error(
      Kinds::kInvalidArgs, path + "/@xsi:type",
      "the type is not " + plan.type_prefix + ":" + plan.type_local + " or derived from it");
}

Status<DecodeError> DecodeInto(const xmlNode* element, pb::Message* m, const std::string& path);

Status<DecodeError> DecodeAttributes(const xmlNode* element, pb::Message* m, const TypePlan& plan,
                                     const std::string& path) {
  const pb::Reflection* r = m->GetReflection();
  for (const xmlAttr* a = element->properties; a != nullptr; a = a->next) {
    const std::string_view local = reinterpret_cast<const char*>(a->name);
    const std::string_view uri =
        a->ns && a->ns->href ? reinterpret_cast<const char*>(a->ns->href) : "";
    if (uri == kXsi) continue;
    const FieldPlan* match = nullptr;
    for (const FieldPlan* fp : plan.attributes) {
      if (fp->local == local && fp->uri == uri) {
        match = fp;
        break;
      }
    }
    if (match == nullptr) {
      if (plan.any_attribute != nullptr) {
        auto* kept = static_cast<onvif::XmlAttribute*>(r->AddMessage(m, plan.any_attribute->field));
        kept->set_ns(std::string(uri));
        kept->set_name(std::string(local));
        kept->set_value(AttrValue(a));
      }
      continue;  // an attribute the schema does not know: ignored
    }
    std::string value = AttrValue(a);
    if (match->lexical != Lexical::kNone ||
        match->field->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) {
      // Every non-string simple type collapses its whitespace.
      const auto b = value.find_first_not_of(" \t\r\n");
      const auto e = value.find_last_not_of(" \t\r\n");
      value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
    }
    if (auto err = SetValue(m, *match, value)) {
      return MakeUnexpected(Error(err->kind, path + "/@" + match->xml_name, err->reason));
    }
  }
  for (const FieldPlan* fp : plan.attributes) {
    if (!fp->required) continue;
    const bool set =
        fp->field->is_repeated() ? r->FieldSize(*m, fp->field) > 0 : r->HasField(*m, fp->field);
    if (!set && !fp->list) {
      return MakeUnexpected(Error(Kinds::kMissingAttr, path + "/@" + fp->xml_name,
                                  "the required attribute is missing"));
    }
  }
  return {};
}

const FieldPlan* FindChild(const TypePlan& plan, std::string_view uri, std::string_view local,
                           const FieldPlan** same_local) {
  for (const FieldPlan* fp : plan.children) {
    if (fp->local != local) continue;
    if (fp->uri == uri) return fp;
    *same_local = fp;
  }
  return nullptr;
}

Status<DecodeError> DecodeInto(const xmlNode* element, pb::Message* m, const std::string& path) {
  const TypePlan& plan = PlanFor(m->GetDescriptor());
  const pb::Reflection* r = m->GetReflection();
  if (auto e = CheckXsiType(element, plan, path)) return MakeUnexpected(std::move(*e));
  if (auto st = DecodeAttributes(element, m, plan, path); !st) return st;
  if (plan.text != nullptr) {
    if (auto err = SetValue(m, *plan.text, TrimmedText(element))) {
      return MakeUnexpected(Error(err->kind, path, err->reason));
    }
  }
  // Occurrences per field, to check maxOccurs and the required ones.
  std::array<std::uint32_t, 64> small{};
  std::vector<std::uint32_t> large;
  std::uint32_t* counts = small.data();
  if (plan.fields.size() > small.size()) {
    large.resize(plan.fields.size());
    counts = large.data();
  }
  for (xmlNode* c = FirstElementChild(const_cast<xmlNode*>(element)); c != nullptr;
       c = NextElementSibling(c)) {
    const FieldPlan* same_local = nullptr;
    const FieldPlan* fp = FindChild(plan, NamespaceUri(c), LocalName(c), &same_local);
    if (fp == nullptr) {
      if (plan.any != nullptr) {
        r->AddString(m, plan.any->field, SerializeElement(c));
      } else if (same_local != nullptr) {
        return MakeUnexpected(
            Error(Kinds::kNamespace, path + "/" + same_local->xml_name,
                  "the element is not in the namespace " +
                      std::string(same_local->uri.empty() ? "(none)" : same_local->uri)));
      }
      continue;
    }
    const pb::FieldDescriptor* f = fp->field;
    const std::string child_path = path + "/" + fp->xml_name;
    const std::uint32_t seen = ++counts[fp->index];
    if ((fp->max_occurs != 0 && seen > fp->max_occurs) || (fp->list && seen > 1)) {
      return MakeUnexpected(Error(Kinds::kInvalidArgs, child_path,
                                  "the element occurs more often than the schema allows"));
    }
    if (const pb::OneofDescriptor* o = f->containing_oneof()) {
      const pb::FieldDescriptor* set = r->GetOneofFieldDescriptor(*m, o);
      if (set != nullptr && set != f) {
        return MakeUnexpected(Error(Kinds::kInvalidArgs, child_path,
                                    "only one of the choice's elements may be given"));
      }
    }
    if (fp->kind == Kind::kRaw) {
      std::string inner = SerializeContent(c);
      f->is_repeated() ? r->AddString(m, f, std::move(inner))
                       : r->SetString(m, f, std::move(inner));
    } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      pb::Message* child = f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      if (auto st = DecodeInto(c, child, child_path); !st) return st;
    } else if (auto err = SetValue(m, *fp, TrimmedText(c))) {
      return MakeUnexpected(Error(err->kind, child_path, err->reason));
    }
  }
  for (const auto& members : plan.choices) {
    const FieldPlan* seen = nullptr;
    for (const FieldPlan* fp : members) {
      if (counts[fp->index] == 0) continue;
      if (seen != nullptr) {
        return MakeUnexpected(
            Error(Kinds::kInvalidArgs, path + "/" + fp->xml_name,
                  "only one of " + seen->xml_name + " and " + fp->xml_name + " may be given"));
      }
      seen = fp;
    }
  }
  for (const FieldPlan* fp : plan.children) {
    const std::uint32_t need =
        fp->field->is_repeated() && !fp->list ? fp->min_occurs : (fp->required ? 1 : 0);
    if (counts[fp->index] < need) {
      return MakeUnexpected(
          Error(Kinds::kInvalidArgs, path + "/" + fp->xml_name,
                need == 1 ? "the required element is missing"
                          : "the element must occur at least " + std::to_string(need) + " times"));
    }
  }
  return {};
}

}  // namespace

Fault DecodeFault(const DecodeError& e) {
  const std::string reason = e.path + ": " + e.reason;
  switch (e.kind) {
    case Kinds::kInvalidArgVal:
      return InvalidArgVal(reason);
    case Kinds::kMissingAttr:
      return Fault{FaultCode::kSender, {"MissingAttr"}, reason};
    case Kinds::kNamespace:
      return Fault{FaultCode::kSender, {"Namespace"}, reason};
    case Kinds::kInvalidArgs:
      break;
  }
  return InvalidArgs(reason);
}

void EncodeElement(const pb::Message& message, std::string_view prefix, std::string_view name,
                   XmlWriter& out) {
  const TypePlan& plan = PlanFor(message.GetDescriptor());
  out.Start(prefix, name);
  EncodeContent(message, plan, out);
  out.End(prefix, name);
}

void EncodeElement(const pb::Message& message, std::string_view name, XmlWriter& out) {
  EncodeElement(message, PlanFor(message.GetDescriptor()).prefix, name, out);
}

std::string EncodeFragment(const pb::Message& message, std::string_view prefix,
                           std::string_view name) {
  std::string body;
  XmlWriter w(body);
  EncodeElement(message, prefix, name, w);
  std::string declarations;
  for (const auto& p : w.used_prefixes()) {
    if (auto uri = ns::UriForPrefix(p)) {
      declarations += " xmlns:" + p + "=\"" + std::string(*uri) + "\"";
    }
  }
  const std::size_t tag_end = 1 + (prefix.empty() ? 0 : prefix.size() + 1) + name.size();
  body.insert(tag_end, declarations);
  return body;
}

Expected<bool, DecodeError> DecodeKept(std::string_view kept, std::string_view ns,
                                       std::string_view name, pb::Message* message) {
  auto doc = ParseXmlDocument(kept, XmlLimits{});
  if (!doc)
    return MakeUnexpected(Error(Kinds::kInvalidArgs, std::string(name), doc.error().message));
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!IsElement(root, ns, name)) return false;
  if (auto st = DecodeElement(root, message); !st) return MakeUnexpected(st.error());
  return true;
}

std::pair<std::string, std::string> KeptElementName(std::string_view kept) {
  auto doc = ParseXmlDocument(kept, XmlLimits{});
  if (!doc) return {};
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  if (root == nullptr) return {};
  const char* ns = root->ns != nullptr ? reinterpret_cast<const char*>(root->ns->href) : "";
  return {ns, reinterpret_cast<const char*>(root->name)};
}

std::string_view EnumXmlValue(const pb::EnumValueDescriptor* value) {
  if (value == nullptr) return {};
  return EnumPlanFor(value->type())->xml_by_index[static_cast<std::size_t>(value->index())];
}

const pb::EnumValueDescriptor* EnumFromXmlValue(const pb::EnumDescriptor* type,
                                                std::string_view xml) {
  const EnumPlan* plan = EnumPlanFor(type);
  auto it = plan->by_xml.find(std::string(xml));
  return it == plan->by_xml.end() ? nullptr : it->second;
}

Status<DecodeError> DecodeElement(const xmlNode* element, pb::Message* message) {
  return DecodeInto(element, message, std::string(LocalName(element)));
}

}  // namespace onvifgw::soap

#include "soap/codec.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "onvif/xml.pb.h"
#include "soap/xml_document.h"

namespace onvifgw::soap {
namespace pb = google::protobuf;

namespace {

struct FieldPlan {
  const pb::FieldDescriptor* field;
  std::string xml_name;
  std::string prefix;  // element namespace prefix (unused for attributes)
  bool attribute;
  bool text;
  bool qname;
};

struct TypePlan {
  std::string prefix;  // namespace prefix of the type's own top-level element
  std::vector<FieldPlan> fields;
  std::unordered_map<std::string, const FieldPlan*> by_name;
};

const TypePlan& PlanFor(const pb::Descriptor* d) {
  static std::shared_mutex mu;
  static std::unordered_map<const pb::Descriptor*, std::unique_ptr<TypePlan>> plans;
  {
    std::shared_lock lock(mu);
    auto it = plans.find(d);
    if (it != plans.end()) return *it->second;
  }
  auto plan = std::make_unique<TypePlan>();
  plan->prefix = d->file()->options().GetExtension(onvif::xml_ns);
  plan->fields.reserve(d->field_count());
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    const auto& o = f->options();
    FieldPlan fp{f,
                 o.HasExtension(onvif::name) ? o.GetExtension(onvif::name) : f->name(),
                 o.HasExtension(onvif::field_ns) ? o.GetExtension(onvif::field_ns) : plan->prefix,
                 o.GetExtension(onvif::attribute), o.GetExtension(onvif::text),
                 o.GetExtension(onvif::qname)};
    if (fp.prefix == "-") fp.prefix.clear();  // unqualified element
    plan->fields.push_back(std::move(fp));
  }
  for (const auto& fp : plan->fields) plan->by_name.emplace(fp.xml_name, &fp);
  std::unique_lock lock(mu);
  auto [it, inserted] = plans.emplace(d, std::move(plan));
  return *it->second;
}

std::string FormatFloat(double v) {
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string ScalarToString(const pb::Message& m, const pb::FieldDescriptor* f, int index) {
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
    case pb::FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      return std::string(rep ? r->GetRepeatedEnum(m, f, index)->name() : r->GetEnum(m, f)->name());
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return {};
}

template <typename T>
bool ParseNumber(const std::string& s, T* out) {
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && p == e && b != e;
}

bool ParseDouble(const std::string& s, double* out) {
  if (s == "INF") {
    *out = INFINITY;
    return true;
  }
  if (s == "-INF") {
    *out = -INFINITY;
    return true;
  }
  if (s == "NaN") {
    *out = NAN;
    return true;
  }
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// Sets (or appends to) a scalar field from its XML lexical form.
bool SetScalar(pb::Message* m, const pb::FieldDescriptor* f, const std::string& s) {
  const pb::Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (s == "true" || s == "1") {
        v = true;
      } else if (s == "false" || s == "0") {
        v = false;
      } else {
        return false;
      }
      rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!ParseNumber(s, &v)) return false;
      rep ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!ParseNumber(s, &v)) return false;
      rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!ParseNumber(s, &v)) return false;
      rep ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!ParseNumber(s, &v)) return false;
      rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: {
      double v;
      if (!ParseDouble(s, &v)) return false;
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_FLOAT) {
        rep ? r->AddFloat(m, f, static_cast<float>(v)) : r->SetFloat(m, f, static_cast<float>(v));
      } else {
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
      }
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_STRING:
      rep ? r->AddString(m, f, s) : r->SetString(m, f, s);
      return true;
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumValueDescriptor* v = f->enum_type()->FindValueByName(s);
      if (v == nullptr) return false;
      rep ? r->AddEnum(m, f, v) : r->SetEnum(m, f, v);
      return true;
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return false;
}

// Is the field present in the sense "must be written"?
bool Present(const pb::Message& m, const FieldPlan& fp) {
  const pb::FieldDescriptor* f = fp.field;
  if (f->is_repeated()) return m.GetReflection()->FieldSize(m, f) > 0;
  if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE || f->has_presence()) {
    return m.GetReflection()->HasField(m, f);
  }
  return true;  // required scalar
}

void EncodeContent(const pb::Message& m, const TypePlan& plan, XmlWriter& out);

// Declares the prefix of a QName-valued field ("tt:ReferenceToken").
void NoteQNamePrefix(const FieldPlan& fp, const std::string& value, XmlWriter& out) {
  if (!fp.qname) return;
  const auto colon = value.find(':');
  if (colon != std::string::npos) out.UsePrefix(value.substr(0, colon));
}

void EncodeField(const pb::Message& m, const FieldPlan& fp, XmlWriter& out) {
  const pb::FieldDescriptor* f = fp.field;
  const pb::Reflection* r = m.GetReflection();
  const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
  for (int i = 0; i < n; ++i) {
    out.Start(fp.prefix, fp.xml_name);
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      const pb::Message& child =
          f->is_repeated() ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f);
      EncodeContent(child, PlanFor(child.GetDescriptor()), out);
    } else {
      const std::string value = ScalarToString(m, f, i);
      NoteQNamePrefix(fp, value, out);
      out.Text(value);
    }
    out.End(fp.prefix, fp.xml_name);
  }
}

void EncodeContent(const pb::Message& m, const TypePlan& plan, XmlWriter& out) {
  // Attributes first: they belong to the start tag.
  for (const FieldPlan& fp : plan.fields) {
    if (!fp.attribute || !Present(m, fp)) continue;
    const std::string value = ScalarToString(m, fp.field, 0);
    NoteQNamePrefix(fp, value, out);
    if (const auto colon = fp.xml_name.find(':'); colon != std::string::npos) {
      out.UsePrefix(fp.xml_name.substr(0, colon));
    }
    out.Attribute(fp.xml_name, value);
  }
  for (const FieldPlan& fp : plan.fields) {
    if (fp.attribute || !Present(m, fp)) continue;
    if (fp.text) {
      const std::string value = ScalarToString(m, fp.field, 0);
      NoteQNamePrefix(fp, value, out);
      out.Text(value);
    } else {
      EncodeField(m, fp, out);
    }
  }
}

Status<DecodeError> DecodeInto(const xmlNode* element, pb::Message* m, const std::string& path) {
  const TypePlan& plan = PlanFor(m->GetDescriptor());
  for (const FieldPlan& fp : plan.fields) {
    if (fp.attribute) {
      xmlChar* value = xmlGetProp(element, reinterpret_cast<const xmlChar*>(fp.xml_name.c_str()));
      if (value == nullptr) continue;
      std::string s(reinterpret_cast<const char*>(value));
      xmlFree(value);
      if (!SetScalar(m, fp.field, s)) {
        return MakeUnexpected(DecodeError{path + "/@" + fp.xml_name, "invalid value"});
      }
    } else if (fp.text) {
      if (!SetScalar(m, fp.field, TrimmedText(element))) {
        return MakeUnexpected(DecodeError{path, "invalid value"});
      }
    }
  }
  for (xmlNode* c = FirstElementChild(const_cast<xmlNode*>(element)); c != nullptr;
       c = NextElementSibling(c)) {
    auto it = plan.by_name.find(std::string(LocalName(c)));
    if (it == plan.by_name.end() || it->second->attribute || it->second->text) continue;
    const pb::FieldDescriptor* f = it->second->field;
    const std::string child_path = path + "/" + it->second->xml_name;
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      pb::Message* child = f->is_repeated() ? m->GetReflection()->AddMessage(m, f)
                                            : m->GetReflection()->MutableMessage(m, f);
      auto st = DecodeInto(c, child, child_path);
      if (!st) return st;
    } else if (!SetScalar(m, f, TrimmedText(c))) {
      return MakeUnexpected(DecodeError{child_path, "invalid value"});
    }
  }
  return {};
}

}  // namespace

void EncodeElement(const pb::Message& message, std::string_view name, XmlWriter& out) {
  const TypePlan& plan = PlanFor(message.GetDescriptor());
  out.Start(plan.prefix, name);
  EncodeContent(message, plan, out);
  out.End(plan.prefix, name);
}

void EncodeTopLevel(const pb::Message& message, XmlWriter& out) {
  EncodeElement(message, message.GetDescriptor()->name(), out);
}

Status<DecodeError> DecodeElement(const xmlNode* element, pb::Message* message) {
  return DecodeInto(element, message, std::string(LocalName(element)));
}

}  // namespace onvifgw::soap

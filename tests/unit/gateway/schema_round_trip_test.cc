// Every generated message of every operation of every served WSDL, filled
// completely (every field, open content included) -> XML -> valid against
// the official schemas (../shared/onvif/check-soap) -> decoded -> equal.
// Vendor extension elements and attributes survive the round trip.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "check_soap.h"
#include "onvif/operation_table.h"
#include "onvif/xml.pb.h"
#include "soap/codec.h"
#include "soap/envelope.h"

namespace onvifgw::soap {
namespace {

namespace pb = google::protobuf;

constexpr const char* kVendorElement = "<v:Tag xmlns:v=\"urn:example:vendor\">1</v:Tag>";

// Fills every field of a message with a value the schema accepts.
class Filler {
 public:
  void Fill(pb::Message* m, int depth) {
    const pb::Descriptor* d = m->GetDescriptor();
    std::vector<std::string> choices_filled;
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      const pb::OneofDescriptor* o = f->containing_oneof();
      if (o != nullptr && o->field(0) != f) continue;  // one member of a choice
      const std::string& choice = f->options().GetExtension(onvif::choice);
      if (!choice.empty()) {
        if (std::find(choices_filled.begin(), choices_filled.end(), choice) !=
            choices_filled.end()) {
          continue;
        }
        choices_filled.push_back(choice);
      }
      FillField(m, f, depth);
    }
  }

 private:
  void FillField(pb::Message* m, const pb::FieldDescriptor* f, int depth) {
    const auto& o = f->options();
    const pb::Reflection* r = m->GetReflection();
    // Open content from another namespace, where the schema lets it pass
    // unchecked (lax or skip).
    const std::string& ns = o.GetExtension(onvif::any_namespace);
    const bool foreign_allowed =
        (ns == "##any" || ns == "##other") && o.GetExtension(onvif::any_process) != "strict";
    if (o.GetExtension(onvif::any)) {
      if (foreign_allowed) r->AddString(m, f, kVendorElement);
      return;
    }
    if (o.GetExtension(onvif::any_attribute)) {
      if (!foreign_allowed) return;
      auto* a = static_cast<onvif::XmlAttribute*>(r->AddMessage(m, f));
      a->set_ns("urn:example:vendor");
      a->set_name("flag");
      a->set_value("1");
      return;
    }
    if (o.GetExtension(onvif::raw)) {
      f->is_repeated() ? r->AddString(m, f, "text") : r->SetString(m, f, "text");
      return;
    }
    const bool required = o.GetExtension(onvif::required);
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      // Deep optional branches are left out; required content never is.
      if (depth > 10 && !required) return;
      if (depth > 30) return;
      const int n = f->is_repeated() ? Count(f) : 1;
      for (int i = 0; i < n; ++i) {
        pb::Message* child = f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f);
        Fill(child, depth + 1);
      }
      return;
    }
    const int n = f->is_repeated() ? Count(f) : 1;
    for (int i = 0; i < n; ++i) SetScalar(m, f, i);
  }

  static int Count(const pb::FieldDescriptor* f) {
    const auto& o = f->options();
    if (o.GetExtension(onvif::list)) return 2;
    const std::uint32_t max = o.GetExtension(onvif::max_occurs);
    const int wanted = std::max<int>(2, static_cast<int>(o.GetExtension(onvif::min_occurs)));
    return max == 0 ? wanted : std::min<int>(wanted, static_cast<int>(max));
  }

  static std::string StringFor(const pb::FieldDescriptor* f, int i) {
    const auto& o = f->options();
    const std::string& t = o.GetExtension(onvif::xsd_type);
    if (t == "duration" || t == "dateTime duration") return i == 0 ? "PT1S" : "PT2.5S";
    if (t == "dateTime") return "2026-01-02T03:04:05Z";
    if (t == "date") return "2026-01-02";
    if (t == "time") return "03:04:05";
    if (t == "anyURI") return "http://example.com/" + std::to_string(i);
    if (t == "QName" || o.GetExtension(onvif::qname)) return "tt:Name" + std::to_string(i);
    if (t == "NCName") return "name" + std::to_string(i);
    if (t == "decimal") return "1.5";
    if (o.HasExtension(onvif::pattern)) return "password" + std::to_string(i);
    std::size_t len = 5;
    if (o.HasExtension(onvif::min_length))
      len = std::max<std::size_t>(len, o.GetExtension(onvif::min_length));
    if (o.HasExtension(onvif::max_length))
      len = std::min<std::size_t>(len, o.GetExtension(onvif::max_length));
    std::string s = "v" + std::to_string(i) + "xyz";
    s.resize(len, 'w');
    return s;
  }

  static void SetScalar(pb::Message* m, const pb::FieldDescriptor* f, int i) {
    const auto& o = f->options();
    const pb::Reflection* r = m->GetReflection();
    const bool rep = f->is_repeated();
    double lo = o.HasExtension(onvif::min_value) ? o.GetExtension(onvif::min_value) : 0;
    double hi = o.HasExtension(onvif::max_value) ? o.GetExtension(onvif::max_value) : 1e6;
    const double number = std::clamp(1.0 + i, lo, hi);
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        rep ? r->AddBool(m, f, true) : r->SetBool(m, f, true);
        break;
      case pb::FieldDescriptor::CPPTYPE_INT32:
        rep ? r->AddInt32(m, f, static_cast<int32_t>(number))
            : r->SetInt32(m, f, static_cast<int32_t>(number));
        break;
      case pb::FieldDescriptor::CPPTYPE_INT64:
        rep ? r->AddInt64(m, f, static_cast<int64_t>(number))
            : r->SetInt64(m, f, static_cast<int64_t>(number));
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT32:
        rep ? r->AddUInt32(m, f, static_cast<uint32_t>(number))
            : r->SetUInt32(m, f, static_cast<uint32_t>(number));
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        rep ? r->AddUInt64(m, f, static_cast<uint64_t>(number))
            : r->SetUInt64(m, f, static_cast<uint64_t>(number));
        break;
      case pb::FieldDescriptor::CPPTYPE_FLOAT:
        rep ? r->AddFloat(m, f, 0.5f) : r->SetFloat(m, f, 0.5f);
        break;
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
        rep ? r->AddDouble(m, f, 0.5) : r->SetDouble(m, f, 0.5);
        break;
      case pb::FieldDescriptor::CPPTYPE_STRING: {
        std::string s = StringFor(f, i);
        if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
          std::size_t len = 3;
          if (o.HasExtension(onvif::min_length))
            len = std::max<std::size_t>(len, o.GetExtension(onvif::min_length));
          if (o.HasExtension(onvif::max_length))
            len = std::min<std::size_t>(len, o.GetExtension(onvif::max_length));
          s.assign(len, '\x05');
        }
        rep ? r->AddString(m, f, s) : r->SetString(m, f, s);
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        const pb::EnumDescriptor* e = f->enum_type();
        const auto* v = e->value(std::min(i, e->value_count() - 1));
        rep ? r->AddEnum(m, f, v) : r->SetEnum(m, f, v);
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_MESSAGE:
        break;
    }
  }
};

struct Sample {
  std::string label;  // "tds GetServices request"
  const google::protobuf::Message* prototype;
  onvif::QualifiedName element;
  std::unique_ptr<pb::Message> message;
  std::string xml;
};

std::vector<Sample> AllSamples() {
  std::vector<Sample> out;
  for (const auto& op : onvif::OperationSchemas()) {
    for (int which = 0; which < 2; ++which) {
      Sample s;
      s.label =
          std::string(op.service) + " " + std::string(op.name) + (which ? " response" : " request");
      s.prototype = which ? op.response : op.request;
      s.element = which ? op.output : op.input;
      s.message.reset(s.prototype->New());
      Filler().Fill(s.message.get(), 0);
      s.xml = WriteResponseEnvelope(*s.message, s.element, {});
      out.push_back(std::move(s));
    }
  }
  return out;
}

TEST(SchemaRoundTrip, EveryMessageDecodesToWhatWasEncoded) {
  std::vector<Sample> samples = AllSamples();
  ASSERT_GT(samples.size(), 600u);
  int failures = 0;
  for (const Sample& s : samples) {
    auto req = ParseEnvelope(s.xml, XmlLimits{1 << 22, 256});
    ASSERT_TRUE(req.has_value()) << s.label;
    std::unique_ptr<pb::Message> back(s.prototype->New());
    auto st = DecodeElement(req->operation, back.get());
    if (!st) {
      ADD_FAILURE() << s.label << ": " << st.error().path << ": " << st.error().reason;
      if (++failures > 10) return;
      continue;
    }
    std::string diff;
    pb::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    if (!differ.Compare(*s.message, *back)) {
      ADD_FAILURE() << s.label << " differs after the round trip:\n" << diff;
      if (++failures > 10) return;
    }
  }
  std::printf("round trip: %zu messages of %zu operations, every field filled\n", samples.size(),
              onvif::OperationSchemas().size());
}

TEST(SchemaRoundTrip, EveryMessageIsValidAgainstTheOfficialSchemas) {
  SKIP_WITHOUT_CHECK_SOAP();
  std::vector<Sample> samples = AllSamples();
  const auto dir =
      std::filesystem::temp_directory_path() / ("onvifgw-roundtrip-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string files;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto path = dir / (std::to_string(i) + ".xml");
    std::ofstream(path, std::ios::binary) << samples[i].xml;
    files += " '" + path.string() + "'";
  }
  // One run over every file: the schemas are compiled once.
  const std::string cmd =
      "/usr/bin/python3 '" + std::string(ONVIFGW_CHECK_SOAP) + "' -q" + files + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[1024];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int rc = ::pclose(p);
  std::filesystem::remove_all(dir);
  // Name the operations in the report instead of the temporary files.
  for (std::size_t i = samples.size(); i-- > 0;) {
    const std::string file = (dir / (std::to_string(i) + ".xml")).string();
    for (std::size_t at; (at = out.find(file)) != std::string::npos;) {
      out.replace(at, file.size(), "[" + samples[i].label + "]");
    }
  }
  EXPECT_EQ(rc, 0) << out.substr(0, 20000);
  std::printf("check-soap: %zu messages validated\n", samples.size());
}

}  // namespace
}  // namespace onvifgw::soap

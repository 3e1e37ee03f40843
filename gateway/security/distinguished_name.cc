#include "security/distinguished_name.h"

#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include "core/hex.h"
#include "security/openssl_ptr.h"

namespace onvifgw::security {
namespace {

struct Attribute {
  std::string_view name;  // the canonical spelling
  int nid;
};
constexpr std::array<Attribute, 9> kAttributes = {{
    {"CN", NID_commonName},
    {"O", NID_organizationName},
    {"OU", NID_organizationalUnitName},
    {"C", NID_countryName},
    {"L", NID_localityName},
    {"ST", NID_stateOrProvinceName},
    {"emailAddress", NID_pkcs9_emailAddress},
    {"serialNumber", NID_serialNumber},
    {"DC", NID_domainComponent},
}};

// A subject longer than this is no name anyone means; refusing it early
// bounds the work.
constexpr std::size_t kMaxSubject = 4096;

bool IEquals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

const Attribute* FindAttribute(std::string_view name) {
  for (const Attribute& a : kAttributes) {
    if (IEquals(a.name, name)) return &a;
  }
  return nullptr;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool HasControl(std::string_view s) {
  return std::ranges::any_of(s, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

struct Rdn {
  const Attribute* attribute;
  std::string value;
};

// Reads one value up to an unescaped ',' (left in `text`), undoing escapes
// and dropping unescaped blanks at both ends.
Expected<std::string, std::string> ReadValue(std::string_view& text) {
  std::string value;
  std::size_t kept = 0;  // value.size() after the last escaped or non-blank character
  while (!text.empty() && text.front() != ',') {
    const char c = text.front();
    text.remove_prefix(1);
    if (c == '+') {
      return MakeUnexpected(
          std::string("multi-valued RDNs are not supported (write '\\+' for a literal '+')"));
    }
    if (c != '\\') {
      if (value.empty() && IsBlank(c)) continue;
      value += c;
      if (!IsBlank(c)) kept = value.size();
      continue;
    }
    if (text.empty()) return MakeUnexpected(std::string("a '\\' at the end escapes nothing"));
    if (text.size() >= 2 && std::isxdigit(static_cast<unsigned char>(text[0])) &&
        std::isxdigit(static_cast<unsigned char>(text[1]))) {
      value += HexDecode(text.substr(0, 2)).value();
      text.remove_prefix(2);
    } else if (std::string_view(",+\"\\<>;=# ").find(text.front()) != std::string_view::npos) {
      value += text.front();
      text.remove_prefix(1);
    } else {
      return MakeUnexpected(std::string("bad escape '\\") + std::string(1, text.front()) + "'");
    }
    kept = value.size();
  }
  value.resize(kept);
  return value;
}

Expected<std::vector<Rdn>, std::string> Parse(std::string_view subject) {
  if (subject.size() > kMaxSubject) return MakeUnexpected(std::string("subject too long"));
  const std::string_view trimmed = Trim(subject);
  if (trimmed.empty()) return MakeUnexpected(std::string("empty subject"));
  std::vector<Rdn> rdns;
  if (trimmed.find('=') == std::string_view::npos) {
    if (FindAttribute(trimmed) != nullptr) {
      return MakeUnexpected(std::string("'") + std::string(trimmed) + "' has no value (write " +
                            std::string(trimmed) + "=<value>)");
    }
    rdns.push_back({&kAttributes[0], std::string(trimmed)});
    return rdns;
  }
  // Not `trimmed`: a blank at the end may be escaped ("CN=x\ "); ReadValue
  // drops the unescaped ones.
  for (std::string_view rest = subject;;) {
    const std::size_t eq = rest.find('=');
    const std::size_t comma = rest.find(',');
    if (eq == std::string_view::npos || comma < eq) {
      const std::string_view part = Trim(rest.substr(0, comma));
      if (part.empty()) return MakeUnexpected(std::string("an empty part between ','s"));
      return MakeUnexpected(std::string("'") + std::string(part) + "' is not attr=value");
    }
    const std::string_view name = Trim(rest.substr(0, eq));
    if (name.empty()) return MakeUnexpected(std::string("an attribute name is missing before '='"));
    const Attribute* attribute = FindAttribute(name);
    if (attribute == nullptr) {
      return MakeUnexpected(std::string("unknown attribute '") + std::string(name) +
                            "' (use CN, O, OU, C, L, ST, emailAddress, serialNumber or DC)");
    }
    rest.remove_prefix(eq + 1);
    auto value = ReadValue(rest);
    if (!value) return MakeUnexpected(std::string(attribute->name) + ": " + value.error());
    if (value->empty()) return MakeUnexpected(std::string(attribute->name) + " has no value");
    rdns.push_back({attribute, std::move(*value)});
    if (rest.empty()) break;
    rest.remove_prefix(1);  // the ','
    if (Trim(rest).empty()) return MakeUnexpected(std::string("nothing after the last ','"));
  }
  return rdns;
}

}  // namespace

Status<std::string> AppendDistinguishedName(std::string_view subject, X509_name_st* name) {
  auto rdns = Parse(subject);
  if (!rdns) return MakeUnexpected(std::string("bad subject: ") + rdns.error());
  // RFC 4514 §2.1: the text starts with the last RDN of the sequence.
  for (auto it = rdns->rbegin(); it != rdns->rend(); ++it) {
    const std::string label(it->attribute->name);
    if (HasControl(it->value)) {
      return MakeUnexpected(std::string("bad subject: ") + label + " contains a control character");
    }
    // MBSTRING_UTF8 makes OpenSSL check the UTF-8 and the X.520 length and
    // character set of the attribute (PrintableString for C, ...).
    if (X509_NAME_add_entry_by_NID(name, it->attribute->nid, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(it->value.data()),
                                   static_cast<int>(it->value.size()), -1, 0) != 1) {
      return MakeUnexpected(std::string("bad subject: ") + label + ": " + TakeOpenSslError());
    }
  }
  return {};
}

std::string FormatDistinguishedName(const X509_name_st* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // XN_FLAG_RFC2253 without ASN1_STRFLGS_ESC_MSB: UTF-8 stays readable
  // instead of becoming \C3\A9.
  constexpr unsigned long kFlags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, kFlags) < 0) {
    ERR_clear_error();
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace onvifgw::security

#include "adapters/adapter_secrets.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/base64.h"

namespace onvifgw::adapters {
namespace {

// Authenticated with every sealed value: a value sealed for something else does not open here.
constexpr std::string_view kContext = "onvif-gateway/adapter-config-secret";

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool NamesASecret(std::string_view key) {
  const std::string k = Lower(key);
  for (std::string_view word : {"password", "passwd", "secret", "token"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return k == "key" || k.ends_with("_key") || k == "pwd";
}

// Visits every scalar of `node` with its path; `key` is the mapping key it sits under ("" in a
// sequence or at the top).
void Walk(YAML::Node node, const std::string& path, const std::string& key,
          const std::function<void(YAML::Node, const std::string&, const std::string&)>& visit) {
  if (node.IsMap()) {
    for (auto entry : node) {
      const std::string name = entry.first.Scalar();
      Walk(entry.second, path.empty() ? name : path + "." + name, name, visit);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      Walk(node[i], path + "[" + std::to_string(i) + "]", "", visit);
    }
  } else if (node.IsScalar()) {
    visit(node, path, key);
  }
}

}  // namespace

Expected<std::string, std::string> SealAdapterSecret(const security::SecretBox& box,
                                                     std::string_view secret) {
  auto sealed = box.Seal(secret, kContext);
  if (!sealed) return MakeUnexpected(sealed.error());
  std::string out(kSealedPrefix);
  out += Base64Encode(*sealed);
  return out;
}

Expected<std::string, std::string> OpenAdapterSecrets(const security::SecretBox& box,
                                                      const std::string& section_yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(section_yaml);
  } catch (const YAML::Exception& e) {
    return MakeUnexpected(std::string("unreadable adapter section: ") + e.what());
  }
  std::string error;
  bool changed = false;
  Walk(root, "", "", [&](YAML::Node value, const std::string& path, const std::string&) {
    const std::string& text = value.Scalar();
    if (!error.empty() || !text.starts_with(kSealedPrefix)) return;
    const auto bytes = Base64Decode(std::string_view(text).substr(kSealedPrefix.size()));
    if (!bytes) {
      error = path + ": the sealed value is not Base64";
      return;
    }
    auto opened = box.Open(*bytes, kContext);
    if (!opened) {
      error = path + ": the sealed value cannot be opened (" + opened.error() +
              "): was it sealed with another state directory's key? Seal it again with "
              "`onvif-gateway seal --config <this file>`";
      return;
    }
    value = *opened;
    changed = true;
  });
  if (!error.empty()) return MakeUnexpected(std::move(error));
  if (!changed) return section_yaml;
  YAML::Emitter emitter;
  emitter << root;
  return std::string(emitter.c_str());
}

std::vector<std::string> ClearTextSecretPaths(const std::string& section_yaml) {
  std::vector<std::string> paths;
  YAML::Node root;
  try {
    root = YAML::Load(section_yaml);
  } catch (const YAML::Exception&) {
    return paths;
  }
  Walk(root, "", "", [&](YAML::Node value, const std::string& path, const std::string& key) {
    if (!key.empty() && NamesASecret(key) && !value.Scalar().empty() &&
        !value.Scalar().starts_with(kSealedPrefix)) {
      paths.push_back(path);
    }
  });
  return paths;
}

}  // namespace onvifgw::adapters

#include "adapters/sdk/config_node.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace onvifgw::adapter_sdk {

std::string FormatConfigError(std::string_view path, const YAML::Mark& mark,
                              std::string_view reason) {
  std::string text = path.empty() ? "<root>" : std::string(path);
  if (!mark.is_null()) {
    text += " (line " + std::to_string(mark.line + 1) + ", column " +
            std::to_string(mark.column + 1) + ")";
  }
  text += ": ";
  text += reason;
  return text;
}

ConfigNode::ConfigNode(YAML::Node node) : node_(node), mark_(YAML::Mark::null_mark()) {
  if (node_.IsDefined() && !node_.IsNull()) {
    mark_ = node_.Mark();
  }
}

ConfigNode::ConfigNode(YAML::Node node, std::string path, YAML::Mark mark)
    : node_(node), path_(std::move(path)), mark_(mark) {}

bool ConfigNode::IsSet() const { return node_.IsDefined() && !node_.IsNull(); }

void ConfigNode::Fail(std::string_view reason) const {
  throw ConfigError(FormatConfigError(path_, mark_, reason));
}

void ConfigNode::ExpectMap() const {
  if (IsSet() && !node_.IsMap()) {
    Fail("expected a map");
  }
}

void ConfigNode::ExpectScalar() const {
  if (!node_.IsScalar()) {
    Fail("expected a single value");
  }
}

ConfigNode ConfigNode::operator[](std::string_view key) const {
  ExpectMap();
  std::string child_path = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  if (!IsSet()) {
    return ConfigNode(YAML::Node(YAML::NodeType::Undefined), child_path, mark_);
  }
  // Look the key up without inserting it (operator[] on a non-const node would).
  const YAML::Node& map = node_;
  YAML::Node child = map[std::string(key)];
  if (!child.IsDefined() || child.IsNull()) {
    return ConfigNode(child, child_path, mark_);
  }
  return ConfigNode(child, child_path, child.Mark());
}

void ConfigNode::RejectUnknownKeys(std::initializer_list<std::string_view> known) const {
  ExpectMap();
  if (!IsSet()) {
    return;
  }
  for (const auto& entry : node_) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string allowed;
      for (std::string_view name : known) {
        allowed += allowed.empty() ? "" : ", ";
        allowed += name;
      }
      std::string key_path = path_.empty() ? key : path_ + "." + key;
      throw ConfigError(
          FormatConfigError(key_path, entry.first.Mark(),
                            "unknown key \"" + key + "\" (expected one of: " + allowed + ")"));
    }
  }
}

std::vector<ConfigNode> ConfigNode::Elements() const {
  std::vector<ConfigNode> result;
  if (!IsSet()) {
    return result;
  }
  if (!node_.IsSequence()) {
    Fail("expected a list");
  }
  for (size_t i = 0; i < node_.size(); ++i) {
    YAML::Node element = node_[i];
    YAML::Mark mark = element.IsNull() ? mark_ : element.Mark();
    result.push_back(ConfigNode(element, path_ + "[" + std::to_string(i) + "]", mark));
  }
  return result;
}

std::string ConfigNode::AsString() const {
  if (!IsSet()) {
    Fail("is required");
  }
  ExpectScalar();
  return node_.Scalar();
}

std::string ConfigNode::AsString(std::string_view fallback) const {
  return IsSet() ? AsString() : std::string(fallback);
}

int64_t ConfigNode::AsInt(int64_t min, int64_t max) const {
  if (!IsSet()) {
    Fail("is required");
  }
  ExpectScalar();
  int64_t value = 0;
  try {
    value = node_.as<int64_t>();
  } catch (const YAML::Exception&) {
    Fail("expected an integer, got \"" + node_.Scalar() + "\"");
  }
  if (value < min || value > max) {
    Fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
         std::to_string(value));
  }
  return value;
}

int64_t ConfigNode::AsInt(int64_t min, int64_t max, int64_t fallback) const {
  return IsSet() ? AsInt(min, max) : fallback;
}

bool ConfigNode::AsBool() const {
  if (!IsSet()) {
    Fail("is required");
  }
  ExpectScalar();
  bool value = false;
  try {
    value = node_.as<bool>();
  } catch (const YAML::Exception&) {
    Fail("expected true or false, got \"" + node_.Scalar() + "\"");
  }
  return value;
}

bool ConfigNode::AsBool(bool fallback) const { return IsSet() ? AsBool() : fallback; }

double ConfigNode::AsDouble(double min, double max) const {
  if (!IsSet()) {
    Fail("is required");
  }
  ExpectScalar();
  double value = 0;
  try {
    value = node_.as<double>();
  } catch (const YAML::Exception&) {
    Fail("expected a number, got \"" + node_.Scalar() + "\"");
  }
  if (!std::isfinite(value) || value < min || value > max) {
    std::ostringstream reason;
    reason << "must be between " << min << " and " << max << ", got " << node_.Scalar();
    Fail(reason.str());
  }
  return value;
}

double ConfigNode::AsDouble(double min, double max, double fallback) const {
  return IsSet() ? AsDouble(min, max) : fallback;
}

Result<YAML::Node> LoadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Error{"cannot open config file " + path};
  }
  try {
    return YAML::Load(in);
  } catch (const YAML::ParserException& e) {
    return Error{path + ":" + std::to_string(e.mark.line + 1) + ":" +
                 std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg};
  } catch (const YAML::Exception& e) {
    return Error{path + ": " + e.what()};
  }
}

}  // namespace onvifgw::adapter_sdk

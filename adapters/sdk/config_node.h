#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sdk/result.h"

namespace onvifgw::adapter_sdk {

/// A config validation failure. Its message names the YAML path and position, e.g.
/// `cameras[1].id (line 4, column 9): duplicate camera id "cam-1"`.
///
/// Exceptions are used only while loading config, never on request paths.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Formats "PATH (line L, column C): REASON" with 1-based line and column; the position is left out
/// for a null mark. An empty path is shown as "<root>".
std::string FormatConfigError(std::string_view path, const YAML::Mark& mark,
                              std::string_view reason);

/// A YAML node together with its path from the root of the adapter's section, so that every
/// validation error can say where it is. Absent keys and explicit nulls (`key:` with no value)
/// both count as "not set"; their position is that of the enclosing map.
///
/// All accessors throw ConfigError on a type or range error. Cheap to copy.
class ConfigNode {
 public:
  /// The root of a section. An undefined or null node is treated as an empty map.
  explicit ConfigNode(YAML::Node node);

  const std::string& path() const { return path_; }
  YAML::Mark mark() const { return mark_; }
  const YAML::Node& yaml() const { return node_; }

  /// False for an absent key or an explicit null.
  bool IsSet() const;

  /// The value of `key` in this map (which must be a map, or not set).
  ConfigNode operator[](std::string_view key) const;

  /// Fails on the first key of this map that is not in `known`.
  void RejectUnknownKeys(std::initializer_list<std::string_view> known) const;

  /// The elements of this sequence; an unset node is an empty sequence.
  std::vector<ConfigNode> Elements() const;

  /// A scalar as text. The fallback variants apply when the node is not set.
  std::string AsString() const;
  std::string AsString(std::string_view fallback) const;

  /// An integer in [min, max].
  int64_t AsInt(int64_t min, int64_t max) const;
  int64_t AsInt(int64_t min, int64_t max, int64_t fallback) const;

  /// true or false (YAML's true/false, yes/no, on/off).
  bool AsBool() const;
  bool AsBool(bool fallback) const;

  /// A number in [min, max].
  double AsDouble(double min, double max) const;
  double AsDouble(double min, double max, double fallback) const;

  /// Throws ConfigError naming this node's path and position.
  [[noreturn]] void Fail(std::string_view reason) const;

 private:
  ConfigNode(YAML::Node node, std::string path, YAML::Mark mark);
  void ExpectMap() const;
  void ExpectScalar() const;

  YAML::Node node_;
  std::string path_;
  YAML::Mark mark_;
};

/// Reads and parses a YAML file. A syntax error names the line and column.
Result<YAML::Node> LoadConfigFile(const std::string& path);

}  // namespace onvifgw::adapter_sdk

#pragma once
// The ONVIF MessageContent filter dialect (Core §9.6.2, "ItemFilter"): the
// subset of XPath 1.0 that tests a notification's Simple and Element items,
// whatever group (Source, Key, Data) they are in:
//
//   Expression ::= 'boolean' '(' '//' Prefix? ('SimpleItem'|'ElementItem') '[' AttrExpr ']' ')'
//                | Expression 'and' Expression | Expression 'or' Expression
//                | '(' Expression ')' | 'not' '(' Expression ')'
//   AttrExpr   ::= ('@Name'|'@Value') '=' String | AttrExpr 'and' AttrExpr
//                | AttrExpr 'or' AttrExpr | '(' AttrExpr ')' | 'not' '(' AttrExpr ')'
//
// 'and' binds tighter than 'or', both left-associative, as in XPath. Strings
// are quoted with " or '.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"

namespace onvifgw::services::events {

/// One tt:SimpleItem of a notification (Name, Value).
struct SimpleItem {
  std::string name;
  std::string value;

  bool operator==(const SimpleItem&) const = default;
};

class MessageContentFilter {
 public:
  /// The parsed expression, or why it is none (for
  /// wsnt:InvalidMessageContentExpressionFault).
  static Expected<MessageContentFilter, std::string> Parse(std::string_view expression);

  /// Whether a message with these Simple items (and no Element items, which
  /// the gateway's topics do not have) passes.
  bool Matches(const std::vector<SimpleItem>& items) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace onvifgw::services::events

#include "services/events/message_content_filter.h"

#include <cctype>

namespace onvifgw::services::events {

struct MessageContentFilter::Node {
  enum class Kind { kAnd, kOr, kNot, kSimpleItem, kElementItem, kName, kValue };
  Kind kind;
  std::string text;  // kName/kValue: the string compared with
  std::vector<std::shared_ptr<const Node>> children;
};

namespace {

using Node = MessageContentFilter::Node;
using NodePtr = std::shared_ptr<const Node>;

enum class Tok {
  kEnd,
  kOpen,
  kClose,
  kOpenBracket,
  kCloseBracket,
  kEquals,
  kWord,
  kPath,
  kAttr,
  kString
};

struct Token {
  Tok kind;
  std::string text;
};

// Splits the expression into tokens, or says which character is none.
class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Expected<std::vector<Token>, std::string> Run() {
    std::vector<Token> out;
    while (true) {
      while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (pos_ == s_.size()) break;
      const char c = s_[pos_];
      if (c == '(' || c == ')' || c == '[' || c == ']' || c == '=') {
        ++pos_;
        out.push_back({c == '('   ? Tok::kOpen
                       : c == ')' ? Tok::kClose
                       : c == '[' ? Tok::kOpenBracket
                       : c == ']' ? Tok::kCloseBracket
                                  : Tok::kEquals,
                       std::string(1, c)});
      } else if (c == '"' || c == '\'') {
        const std::size_t end = s_.find(c, pos_ + 1);
        if (end == std::string_view::npos) return MakeUnexpected(std::string("an unclosed string"));
        out.push_back({Tok::kString, std::string(s_.substr(pos_ + 1, end - pos_ - 1))});
        pos_ = end + 1;
      } else if (s_.substr(pos_, 2) == "//") {
        pos_ += 2;
        out.push_back({Tok::kPath, Name()});
      } else if (c == '@') {
        ++pos_;
        out.push_back({Tok::kAttr, Name()});
      } else if (std::isalpha(static_cast<unsigned char>(c))) {
        out.push_back({Tok::kWord, Name()});
      } else {
        return MakeUnexpected("an unexpected '" + std::string(1, c) + "' at offset " +
                              std::to_string(pos_));
      }
    }
    out.push_back({Tok::kEnd, ""});
    return out;
  }

 private:
  // A QName (prefix kept) or a keyword.
  std::string Name() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
            s_[pos_] == '-' || s_[pos_] == '.' || s_[pos_] == ':')) {
      ++pos_;
    }
    return std::string(s_.substr(start, pos_ - start));
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// Recursive descent over the two levels of the grammar; the first error
// wins and the parse unwinds with nullptr.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  NodePtr Parse() {
    NodePtr root = Or(false);
    if (root && Peek().kind != Tok::kEnd) return Fail("unexpected \"" + Peek().text + "\"");
    return root;
  }
  const std::string& error() const { return error_; }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  bool IsWord(std::string_view w) const { return Peek().kind == Tok::kWord && Peek().text == w; }
  NodePtr Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return nullptr;
  }
  bool Expect(Tok kind, std::string_view what) {
    if (Peek().kind != kind) {
      Fail("expected " + std::string(what) + " but found \"" + Peek().text + "\"");
      return false;
    }
    ++pos_;
    return true;
  }

  // `attr` chooses the level: AttrExpr inside [...], Expression outside.
  NodePtr Or(bool attr) { return Binary(attr, "or", Node::Kind::kOr); }
  NodePtr And(bool attr) { return Binary(attr, "and", Node::Kind::kAnd); }

  NodePtr Binary(bool attr, std::string_view word, Node::Kind kind) {
    NodePtr left = kind == Node::Kind::kOr ? And(attr) : Primary(attr);
    while (left && IsWord(word)) {
      ++pos_;
      NodePtr right = kind == Node::Kind::kOr ? And(attr) : Primary(attr);
      if (!right) return nullptr;
      left = std::make_shared<const Node>(Node{kind, "", {left, right}});
    }
    return left;
  }

  NodePtr Primary(bool attr) {
    if (Peek().kind == Tok::kOpen) {
      ++pos_;
      NodePtr inner = Or(attr);
      if (!inner || !Expect(Tok::kClose, "')'")) return nullptr;
      return inner;
    }
    if (IsWord("not")) {
      ++pos_;
      if (!Expect(Tok::kOpen, "'(' after not")) return nullptr;
      NodePtr inner = Or(attr);
      if (!inner || !Expect(Tok::kClose, "')'")) return nullptr;
      return std::make_shared<const Node>(Node{Node::Kind::kNot, "", {inner}});
    }
    return attr ? Comparison() : ItemTest();
  }

  // boolean(//tt:SimpleItem[...]) or boolean(//tt:ElementItem[...])
  NodePtr ItemTest() {
    if (!IsWord("boolean")) return Fail("expected boolean(...) but found \"" + Peek().text + "\"");
    ++pos_;
    if (!Expect(Tok::kOpen, "'(' after boolean")) return nullptr;
    if (Peek().kind != Tok::kPath) return Fail("expected //tt:SimpleItem or //tt:ElementItem");
    std::string_view name = Peek().text;
    if (auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
    Node::Kind kind;
    if (name == "SimpleItem") {
      kind = Node::Kind::kSimpleItem;
    } else if (name == "ElementItem") {
      kind = Node::Kind::kElementItem;
    } else {
      return Fail("//" + Peek().text + " is neither SimpleItem nor ElementItem");
    }
    ++pos_;
    if (!Expect(Tok::kOpenBracket, "'['")) return nullptr;
    NodePtr test = Or(true);
    if (!test || !Expect(Tok::kCloseBracket, "']'") || !Expect(Tok::kClose, "')'")) return nullptr;
    return std::make_shared<const Node>(Node{kind, "", {test}});
  }

  // @Name="..." or @Value="..."
  NodePtr Comparison() {
    if (Peek().kind != Tok::kAttr || (Peek().text != "Name" && Peek().text != "Value")) {
      return Fail("expected @Name or @Value but found \"" + Peek().text + "\"");
    }
    const Node::Kind kind = Peek().text == "Name" ? Node::Kind::kName : Node::Kind::kValue;
    ++pos_;
    if (!Expect(Tok::kEquals, "'='")) return nullptr;
    if (Peek().kind != Tok::kString) return Fail("expected a quoted string after '='");
    std::string text = Peek().text;
    ++pos_;
    return std::make_shared<const Node>(Node{kind, std::move(text), {}});
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::string error_;
};

bool TestItem(const Node& n, const SimpleItem& item) {
  switch (n.kind) {
    case Node::Kind::kAnd:
      return TestItem(*n.children[0], item) && TestItem(*n.children[1], item);
    case Node::Kind::kOr:
      return TestItem(*n.children[0], item) || TestItem(*n.children[1], item);
    case Node::Kind::kNot:
      return !TestItem(*n.children[0], item);
    case Node::Kind::kName:
      return item.name == n.text;
    case Node::Kind::kValue:
      return item.value == n.text;
    default:
      return false;
  }
}

bool Evaluate(const Node& n, const std::vector<SimpleItem>& items) {
  switch (n.kind) {
    case Node::Kind::kAnd:
      return Evaluate(*n.children[0], items) && Evaluate(*n.children[1], items);
    case Node::Kind::kOr:
      return Evaluate(*n.children[0], items) || Evaluate(*n.children[1], items);
    case Node::Kind::kNot:
      return !Evaluate(*n.children[0], items);
    case Node::Kind::kSimpleItem:
      for (const SimpleItem& item : items) {
        if (TestItem(*n.children[0], item)) return true;
      }
      return false;
    default:  // kElementItem: the gateway's messages have none
      return false;
  }
}

}  // namespace

Expected<MessageContentFilter, std::string> MessageContentFilter::Parse(
    std::string_view expression) {
  auto tokens = Lexer(expression).Run();
  if (!tokens) return MakeUnexpected(tokens.error());
  Parser parser(std::move(*tokens));
  NodePtr root = parser.Parse();
  if (!root) return MakeUnexpected(parser.error());
  MessageContentFilter f;
  f.root_ = std::move(root);
  return f;
}

bool MessageContentFilter::Matches(const std::vector<SimpleItem>& items) const {
  return root_ == nullptr || Evaluate(*root_, items);
}

}  // namespace onvifgw::services::events

#ifndef PRIVACYCALL_CLI_JSON_LINE_HPP
#define PRIVACYCALL_CLI_JSON_LINE_HPP

// Writes the compact JSON text of `privacycall listen`'s notification lines into a buffer the
// caller reuses. Building each line as a nlohmann DOM and dumping it cost as much as
// verifying and parsing the push it reports (a map node and strings per member, then a copy
// of every byte through the serializer), so the lines are written straight, in exactly the
// form nlohmann's dump() gave them: members in the order the caller adds them (listen adds
// them sorted, as the DOM kept them), strings escaped as dump() escapes them.
//
// Strings are copied byte for byte except for the escapes, so they must be UTF-8: the
// notifications' texts are, since nlohmann's parser refuses a push that is not.

#include <string>
#include <string_view>

namespace privacycall::cli {

class JsonLine {
 public:
  /// Clears `out` and writes into it.
  explicit JsonLine(std::string& out) : out_(out) { out_.clear(); }

  /// Opens an object: the line itself or an element of the array that is open.
  void open_object() {
    separate();
    open('{');
  }
  void close_object() { close('}'); }
  /// Opens an array as member `name` of the object that is open.
  void open_array(std::string_view name) {
    key(name);
    open('[');
  }
  void close_array() { close(']'); }

  /// Member `name` with a string value.
  void text(std::string_view name, std::string_view value) {
    key(name);
    string(value);
  }
  /// Member `name` with an integer value.
  void number(std::string_view name, long long value);
  /// Member `name` holding `json`, which is JSON text already.
  void raw(std::string_view name, std::string_view json) {
    key(name);
    out_ += json;
  }

 private:
  // Writes the separator a new member or element needs, if any.
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  // Starts member `name`; its value follows.
  void key(std::string_view name) {
    separate();
    string(name);
    out_ += ':';
  }
  // Opens a container whose separator, or key, is written already.
  void open(char bracket) {
    out_ += bracket;
    first_ = true;
  }
  // Closes a container: it was a value of the one around it.
  void close(char bracket) {
    out_ += bracket;
    first_ = false;
  }
  // Writes `value` as a JSON string.
  void string(std::string_view value);

  std::string& out_;
  bool first_ = true;  // no member or element yet in the container that is open
};

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_JSON_LINE_HPP

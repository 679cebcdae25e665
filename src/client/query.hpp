#ifndef PRIVACYCALL_SRC_CLIENT_QUERY_HPP
#define PRIVACYCALL_SRC_CLIENT_QUERY_HPP

#include <privacycall/phone_number.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace privacycall::internal {

/// Percent-encodes everything but RFC 3986 unreserved characters, so '+' is always "%2B".
std::string percent_encode(std::string_view text);

/// A query string under construction. Remembers which values are phone numbers so that the
/// logged form can mask them.
class Query {
 public:
  Query& add(std::string name, std::string value) {
    params_.push_back({std::move(name), std::move(value), false});
    return *this;
  }
  Query& add(std::string name, const PhoneNumber& number) {
    params_.push_back({std::move(name), number.str(), true});
    return *this;
  }
  template <typename T>
  Query& add(std::string name, const std::optional<T>& value) {
    if (value) add(std::move(name), *value);
    return *this;
  }
  Query& add(std::string name, int value) { return add(std::move(name), std::to_string(value)); }

  bool empty() const { return params_.empty(); }
  /// "a=1&b=%2B86..." (no leading '?').
  std::string encode() const { return encode_impl(false); }
  /// The same with phone numbers masked, for logs.
  std::string encode_masked() const { return encode_impl(true); }

 private:
  struct Param {
    std::string name;
    std::string value;
    bool is_phone_number;
  };
  std::string encode_impl(bool mask) const;
  std::vector<Param> params_;
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_QUERY_HPP

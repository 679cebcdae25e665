#include "webhook/sax_parse.hpp"

#include <cstddef>
#include <iterator>

namespace privacycall::webhook::internal {
namespace {

// A pointer into the text, as a type of the SDK's own (see the header), with what nlohmann's
// iterator input uses of an input iterator: *, ++ and !=.
class TextIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  explicit TextIterator(const char* at) noexcept : at_(at) {}
  reference operator*() const noexcept { return *at_; }
  TextIterator& operator++() noexcept {
    ++at_;
    return *this;
  }
  TextIterator operator++(int) noexcept {
    TextIterator before = *this;
    ++at_;
    return before;
  }
  friend bool operator!=(TextIterator a, TextIterator b) noexcept { return a.at_ != b.at_; }

 private:
  const char* at_;
};

}  // namespace

bool sax_parse(std::string_view text, nlohmann::json_sax<privacycall::internal::Json>& handler) {
  return privacycall::internal::Json::sax_parse(TextIterator(text.data()), TextIterator(text.data() + text.size()),
                                                &handler);
}

}  // namespace privacycall::webhook::internal

#ifndef PRIVACYCALL_SRC_WEBHOOK_INLINE_TEXT_HPP
#define PRIVACYCALL_SRC_WEBHOOK_INLINE_TEXT_HPP

// Text kept inside the object when it has at most `kInline` bytes, on the heap when longer.
//
// The in-memory stores keep one key per push for as long as they remember it, and at capacity
// forget the oldest with every push. A std::string longer than its small buffer (15 bytes) is
// a separate allocation, cold by the time it is freed: sized for the keys the platform sends,
// this keeps them in the store's own entries, which are added and dropped in order.

#include <array>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace privacycall::webhook::internal {

template <std::size_t kInline>
class InlineText {
 public:
  explicit InlineText(std::string_view text) : size_(text.size()) {
    char* to = inline_.data();
    if (text.size() > kInline) {
      heap_ = std::make_unique<char[]>(text.size());
      to = heap_.get();
    }
    if (!text.empty()) std::memcpy(to, text.data(), text.size());
  }

  // Moved from, it holds the empty text.
  InlineText(InlineText&& other) noexcept
      : size_(std::exchange(other.size_, 0)), inline_(other.inline_), heap_(std::move(other.heap_)) {}
  InlineText& operator=(InlineText&& other) noexcept {
    size_ = std::exchange(other.size_, 0);
    inline_ = other.inline_;
    heap_ = std::move(other.heap_);
    return *this;
  }

  std::string_view view() const { return {heap_ ? heap_.get() : inline_.data(), size_}; }

 private:
  std::size_t size_;
  std::array<char, kInline> inline_{};  // the text when it fits
  std::unique_ptr<char[]> heap_;        // the text when it does not
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_INLINE_TEXT_HPP

#ifndef PRIVACYCALL_PAGER_HPP
#define PRIVACYCALL_PAGER_HPP

/// @file
/// Pager<Page>: a listing walked page by page, usable as a range-for.

#include <privacycall/abi.hpp>
#include <privacycall/error.hpp>
#include <privacycall/result.hpp>

#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <utility>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A listing walked page by page, each page fetched only when the walk reaches it. Every list
/// query has one (AxbClient::query_pages(), AxeClient::query_pages(), ...). Its elements are
/// `Result<Page>`: a failed page is the walk's last element, so a loop sees the Error once and
/// stops there.
///
///     for (const auto& page : client.axb().query_pages(privacycall::AxbBindingsOnNumber(x))) {
///       if (!page) return page.error();
///       for (const auto& binding : page->bindings) use(binding);
///     }
///
/// next() and done() walk the same pages by hand. A Pager is an input range: walk it once.
template <typename Page>
class Pager {
 public:
  /// One fetched page and whether another follows it.
  struct Step {
    Result<Page> page;  ///< The page, or the Error that ends the walk
    bool more = false;  ///< Whether to fetch again; ignored when `page` failed
  };
  /// Fetches the next page. Called once per page, and never again after a Step without more.
  using Fetch = std::function<Step()>;

  /// Starts before the first page; nothing is fetched until the walk begins.
  explicit Pager(Fetch fetch) : fetch_(std::move(fetch)) {}

  /// True once the last page was returned or a fetch failed.
  bool done() const { return done_; }

  /// The next page. A validation Error when called after done().
  Result<Page> next() {
    if (done_) {
      Error error;
      error.category = ErrorCategory::kValidation;
      error.message = "Pager::next() called after the last page";
      return error;
    }
    Step step = fetch_();
    done_ = !step.page.ok() || !step.more;
    return std::move(step.page);
  }

  /// Walks the pages: `*it` is the current page's Result, `++it` fetches the next one.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;  ///< Single pass
    using value_type = Result<Page>;                    ///< One page, or the Error ending the walk
    using difference_type = std::ptrdiff_t;             ///< Required of iterators; unused
    using pointer = Result<Page>*;                      ///< What operator->() returns
    using reference = Result<Page>&;                    ///< What operator*() returns

    /// The current page.
    reference operator*() const { return *pager_->current_; }
    /// Member access to the current page.
    pointer operator->() const { return &*pager_->current_; }
    /// Fetches the next page, or reaches the end.
    iterator& operator++() {
      pager_->advance();
      return *this;
    }
    /// Same as ++it (an input iterator keeps no copy of the page it leaves).
    void operator++(int) { ++*this; }
    /// Iterators compare equal when both are at the end, or both are not.
    friend bool operator==(const iterator& a, const iterator& b) { return a.at_end() == b.at_end(); }
    /// Negation of ==.
    friend bool operator!=(const iterator& a, const iterator& b) { return !(a == b); }

   private:
    friend class Pager;
    explicit iterator(Pager* pager) : pager_(pager) {}
    bool at_end() const { return pager_ == nullptr || !pager_->current_; }
    Pager* pager_;
  };

  /// Fetches the first page not yet walked (nothing when next() already reached the end).
  iterator begin() {
    if (!current_) advance();
    return iterator(this);
  }
  /// The end of the walk.
  iterator end() { return iterator(nullptr); }

 private:
  void advance() {
    if (done_) {
      current_.reset();
    } else {
      current_.emplace(next());
    }
  }

  Fetch fetch_;
  bool done_ = false;
  std::optional<Result<Page>> current_;  // the page a range-for is at
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_PAGER_HPP

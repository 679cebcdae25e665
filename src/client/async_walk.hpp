#ifndef PRIVACYCALL_SRC_CLIENT_ASYNC_WALK_HPP
#define PRIVACYCALL_SRC_CLIENT_ASYNC_WALK_HPP

// The asynchronous form of a cursor walk: each page is fetched from the previous page's
// completion, so that no thread waits.

#include <privacycall/callback.hpp>
#include <privacycall/result.hpp>

#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/cursor_pager.hpp"

namespace privacycall::internal {

/// Collects the `Page::*items` of every page of a cursor walk into one vector, fetching page
/// after page with `fetch` (the async form of cursor_pager() + collect). Completes `done` once:
/// with every item, with the first failed page's Error, or with repeated_cursor_error().
template <typename Page, typename Item>
class AsyncCursorWalk : public std::enable_shared_from_this<AsyncCursorWalk<Page, Item>> {
 public:
  /// Fetches the page at `cursor` (nullopt: the first page) and hands it to the callback.
  using Fetch = std::function<void(const std::optional<std::string>& cursor, Callback<Page> done)>;

  /// Starts the walk; it owns itself until `done` has been called.
  static void start(Fetch fetch, std::vector<Item> Page::*items, Callback<std::vector<Item>> done) {
    std::shared_ptr<AsyncCursorWalk> walk(new AsyncCursorWalk(std::move(fetch), items, std::move(done)));
    walk->fetch_next();
  }

 private:
  AsyncCursorWalk(Fetch fetch, std::vector<Item> Page::*items, Callback<std::vector<Item>> done)
      : fetch_(std::move(fetch)), items_(items), done_(std::move(done)) {}

  // The pending call holds the walk alive; nothing else does.
  void fetch_next() {
    fetch_(cursor_, [self = this->shared_from_this()](Result<Page> page) { self->on_page(std::move(page)); });
  }

  void on_page(Result<Page> page) {
    if (!page) {
      done_(std::move(page).error());
      return;
    }
    const CursorStep step = cursor_step(cursor_, page->next_cursor);
    if (step == CursorStep::kRepeated) {
      done_(repeated_cursor_error());
      return;
    }
    std::vector<Item>& chunk = (*page).*items_;
    all_.insert(all_.end(), std::make_move_iterator(chunk.begin()), std::make_move_iterator(chunk.end()));
    if (step == CursorStep::kLastPage) {
      done_(std::move(all_));
      return;
    }
    cursor_ = std::move(page->next_cursor);
    fetch_next();
  }

  Fetch fetch_;
  std::vector<Item> Page::*items_;
  Callback<std::vector<Item>> done_;
  std::optional<std::string> cursor_;
  std::vector<Item> all_;
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_ASYNC_WALK_HPP

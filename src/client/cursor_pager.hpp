#ifndef PRIVACYCALL_SRC_CLIENT_CURSOR_PAGER_HPP
#define PRIVACYCALL_SRC_CLIENT_CURSOR_PAGER_HPP

// The rule every cursor walk follows (AXE's pagers, the async query_all()/count_all()), and the
// Pager of a cursor-paged listing.

#include <privacycall/error.hpp>
#include <privacycall/pager.hpp>
#include <privacycall/result.hpp>

#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace privacycall::internal {

/// What a page's next_cursor means for a walk that fetched the page with `cursor`.
enum class CursorStep {
  kLastPage,  ///< no next cursor: the walk is complete
  kMore,      ///< fetch the page at the next cursor
  kRepeated,  ///< the platform handed back the cursor it was given: following it would loop
};

/// The step a walk takes after the page fetched at `cursor` named `next`.
inline CursorStep cursor_step(const std::optional<std::string>& cursor, const std::optional<std::string>& next) {
  if (!next || next->empty()) return CursorStep::kLastPage;
  if (cursor && *next == *cursor) return CursorStep::kRepeated;
  return CursorStep::kMore;
}

/// The decode Error of CursorStep::kRepeated.
inline Error repeated_cursor_error() {
  Error error;
  error.category = ErrorCategory::kDecode;
  error.message = "the platform returned the same cursor again; stopping to avoid a loop";
  return error;
}

/// The Pager of a cursor-paged listing: `fetch(cursor)` gets the page at `cursor` (nullopt: the
/// first page); `Page` has `std::optional<std::string> next_cursor`.
template <typename Page>
Pager<Page> cursor_pager(std::function<Result<Page>(const std::optional<std::string>& cursor)> fetch) {
  using Step = typename Pager<Page>::Step;
  return Pager<Page>([fetch = std::move(fetch), cursor = std::optional<std::string>()]() mutable -> Step {
    Result<Page> page = fetch(cursor);
    if (!page) return Step{std::move(page), false};
    switch (cursor_step(cursor, page->next_cursor)) {
      case CursorStep::kLastPage:
        return Step{std::move(page), false};
      case CursorStep::kRepeated:
        return Step{repeated_cursor_error(), false};
      case CursorStep::kMore:
        break;
    }
    cursor = page->next_cursor;
    return Step{std::move(page), true};
  });
}

/// The Pager of a listing the platform answers in one page: `fetch()` is its only element.
template <typename Page>
Pager<Page> single_page_pager(std::function<Result<Page>()> fetch) {
  using Step = typename Pager<Page>::Step;
  return Pager<Page>([fetch = std::move(fetch)] { return Step{fetch(), false}; });
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_CURSOR_PAGER_HPP

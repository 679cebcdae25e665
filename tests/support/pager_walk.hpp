// What a range-for over a Pager sees, in a form tests compare in one CHECK.
#ifndef PRIVACYCALL_TESTS_PAGER_WALK_HPP
#define PRIVACYCALL_TESTS_PAGER_WALK_HPP

#include <privacycall/pager.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace test_support {

/// Walks `pager` with a range-for: one entry per element, the page's number of `items`
/// ("10") or "error " and the Error's result code. `after_page(n)` runs after the n-th element
/// (1-based), to change the platform between two fetches.
template <typename Page, typename Items>
std::vector<std::string> walk_pages(privacycall::Pager<Page> pager, Items Page::*items,
                                    const std::function<void(std::size_t)>& after_page = nullptr) {
  std::vector<std::string> seen;
  for (const auto& page : pager) {
    seen.push_back(page ? std::to_string(((*page).*items).size()) : "error " + page.error().result_code);
    if (after_page) after_page(seen.size());
  }
  return seen;
}

}  // namespace test_support

#endif  // PRIVACYCALL_TESTS_PAGER_WALK_HPP

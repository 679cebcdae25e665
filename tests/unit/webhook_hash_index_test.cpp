#include "webhook/hash_index.hpp"

#include <cstddef>
#include <deque>
#include <map>
#include <random>

#include "support/catch.hpp"

using privacycall::webhook::internal::HashIndex;

namespace {

struct Item {
  int key;
};

}  // namespace

TEST_CASE("hash index: finds what was inserted and not erased, through collisions and wrap-around") {
  // Few distinct hashes, high bits set: long runs of equal and neighbouring home slots that
  // wrap around the end of the array, the cases a removal's backward shift must get right.
  constexpr std::size_t kMax = 200;
  HashIndex<Item> index(kMax);
  std::deque<Item> items;        // stay where they are: the index points to them
  std::map<int, Item*> present;  // the reference
  std::mt19937 random(20261205);
  const auto hash_of = [](int key) { return (static_cast<std::size_t>(key) % 37) * 0x9e3779b97f4a7c15ULL; };
  const auto find = [&](int key) {
    return index.find(hash_of(key), [key](const Item& item) { return item.key == key; });
  };
  for (int step = 0; step < 200000; ++step) {
    const int key = static_cast<int>(random() % 400);
    const auto known = present.find(key);
    REQUIRE(find(key) == (known == present.end() ? nullptr : known->second));
    if (known != present.end() && random() % 2 == 0) {
      index.erase(hash_of(key), known->second);
      present.erase(known);
    } else if (known == present.end() && present.size() < kMax) {
      items.push_back(Item{key});
      index.insert(hash_of(key), &items.back());
      present.emplace(key, &items.back());
    }
  }
  for (const auto& [key, item] : present) CHECK(find(key) == item);
  CHECK(find(-1) == nullptr);
}

TEST_CASE("hash index: erasing what is not indexed changes nothing") {
  HashIndex<Item> index(4);
  Item a{1};
  Item b{2};
  index.insert(7, &a);
  index.erase(7, &b);
  index.erase(8, &b);
  CHECK(index.find(7, [](const Item& item) { return item.key == 1; }) == &a);
}

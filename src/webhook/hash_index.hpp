#ifndef PRIVACYCALL_SRC_WEBHOOK_HASH_INDEX_HPP
#define PRIVACYCALL_SRC_WEBHOOK_HASH_INDEX_HPP

// An index from the hash of a key to the entry that holds the key, for the in-memory stores.
//
// Their entries live in insertion (or expiry) order in containers of their own, and at
// capacity every push forgets the oldest one. In a node-based hash table that eviction walks
// a bucket's chain and frees a node: a cache miss at each step, about 1 µs a push in a table
// of 100,000 entries. Here a slot is the hash and a pointer in one flat array with linear
// probing, kept at most half full: finding, adding and removing an entry touch one or two
// adjacent slots. A removal shifts the slots after it back instead of leaving a marker, so
// lookups never slow down with churn. The caller compares keys (`match`): hashes may collide.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>

namespace privacycall::webhook::internal {

template <typename Entry>
class HashIndex {
 public:
  /// Room for `max_entries` entries, never more at once (the caller keeps to it).
  explicit HashIndex(std::size_t max_entries)
      : mask_(slot_count(max_entries) - 1), shift_(64 - bit_count(mask_)), slots_(allocate_free_slots(mask_ + 1)) {}

  /// The entry of `hash` for which `match(entry)` holds; nullptr when there is none.
  template <typename Match>
  Entry* find(std::size_t hash, Match&& match) const {
    for (std::size_t at = home(hash); slots_[at].entry != nullptr; at = (at + 1) & mask_) {
      if (slots_[at].hash == hash && match(*slots_[at].entry)) return slots_[at].entry;
    }
    return nullptr;
  }

  /// Indexes `entry` under `hash`. `entry` must stay where it is until erased.
  void insert(std::size_t hash, Entry* entry) {
    std::size_t at = home(hash);
    while (slots_[at].entry != nullptr) at = (at + 1) & mask_;
    slots_[at] = Slot{hash, entry};
  }

  /// Removes `entry`, indexed under `hash`; does nothing when it is not indexed.
  void erase(std::size_t hash, const Entry* entry) {
    std::size_t hole = home(hash);
    for (; slots_[hole].entry != entry; hole = (hole + 1) & mask_) {
      if (slots_[hole].entry == nullptr) return;
    }
    // Each following slot of the run moves into the hole when the hole lies between its home
    // slot and where it is: there, a lookup from its home still finds it.
    for (std::size_t next = (hole + 1) & mask_; slots_[next].entry != nullptr; next = (next + 1) & mask_) {
      if (((next - home(slots_[next].hash)) & mask_) >= ((next - hole) & mask_)) {
        slots_[hole] = slots_[next];
        hole = next;
      }
    }
    slots_[hole] = Slot{};
  }

 private:
  struct Slot {
    std::size_t hash = 0;
    Entry* entry = nullptr;  // nullptr: free
  };

  struct FreeSlots {
    void operator()(Slot* slots) const { std::free(slots); }
  };
  using Slots = std::unique_ptr<Slot[], FreeSlots>;

  // The slot a hash starts from: its top bits once multiplied by 2^64 / phi (Fibonacci
  // hashing). Not its low bits: the stores are sharded by the same hash's remainder, so within
  // a shard every key has the same low bits.
  std::size_t home(std::size_t hash) const {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(hash) * 0x9e3779b97f4a7c15ULL) >> shift_);
  }

  static unsigned bit_count(std::size_t mask) {
    unsigned bits = 0;
    for (; mask != 0; mask >>= 1) ++bits;
    return bits;
  }

  // A power of two at least twice the entries: lookups stay short, and a free slot always ends a run.
  static std::size_t slot_count(std::size_t max_entries) {
    std::size_t count = 8;
    while (count < 2 * (max_entries + 1)) count *= 2;
    return count;
  }

  // All zero bytes, a free slot each. From calloc rather than a vector that writes every slot:
  // the allocator hands out large blocks as fresh pages, which take memory only once an entry
  // lands in them, so a store sized for 200,000 entries costs little while it holds few.
  static Slots allocate_free_slots(std::size_t count) {
    static_assert(std::is_trivially_copyable_v<Slot> && std::is_trivially_destructible_v<Slot>);
    void* memory = std::calloc(count, sizeof(Slot));
    if (memory == nullptr) throw std::bad_alloc();
    return Slots(static_cast<Slot*>(memory));
  }

  std::size_t mask_;
  unsigned shift_;  // 64 - log2 of the slot count
  Slots slots_;
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_HASH_INDEX_HPP

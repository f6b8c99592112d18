// IdempotencyTable: every client order id the gateway has decided on, with its decision.
//
// An open-addressing hash table of 8-byte slots (32-bit hash tag + 32-bit index) over an
// append-only array of entries, so a lookup touches one cache line in the common case and an
// insert allocates only when the table grows (amortized; reserve() up front avoids it).
// Entries are never removed: a used id stays used. Single-threaded.
#pragma once

#include <cstdint>
#include <vector>

#include "cst/core/ids.hpp"

namespace cst {

template <class Value>
class IdempotencyTable {
 public:
  explicit IdempotencyTable(std::size_t expected = 1024) { reserve(expected); }

  void reserve(std::size_t expected) {
    entries_.reserve(expected);
    std::size_t want = 16;
    while (want < expected * 2) want <<= 1;
    if (want > slots_.size()) rehash(want);
  }

  // The value stored for id, or nullptr.
  const Value* find(const ClientOrderId& id) const {
    const std::uint64_t h = hash(id);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot s = slots_[i];
      if (s.index == kEmpty) return nullptr;
      if (s.tag == static_cast<std::uint32_t>(h >> 32) && entries_[s.index].id == id) return &entries_[s.index].value;
    }
  }

  // Inserts id (which must not be present yet).
  void insert(const ClientOrderId& id, const Value& value) {
    if ((entries_.size() + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
    const std::uint64_t h = hash(id);
    const auto index = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back(Entry{id, h, value});
    place(h, index);
  }

  std::size_t size() const { return entries_.size(); }

 private:
  static constexpr std::uint32_t kEmpty = 0xffffffffu;
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t index = kEmpty;
  };
  struct Entry {
    ClientOrderId id;
    std::uint64_t hash;
    Value value;
  };

  // FNV-1a over the id's bytes, then a 64-bit finalizer so low bits are well mixed.
  static std::uint64_t hash(const ClientOrderId& id) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : id.view()) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
  }

  void place(std::uint64_t h, std::uint32_t index) {
    std::size_t i = h & mask_;
    while (slots_[i].index != kEmpty) i = (i + 1) & mask_;
    slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), index};
  }

  void rehash(std::size_t new_size) {
    slots_.assign(new_size, Slot{});
    mask_ = new_size - 1;
    for (std::size_t k = 0; k < entries_.size(); ++k) place(entries_[k].hash, static_cast<std::uint32_t>(k));
  }

  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  std::size_t mask_ = 0;
};

}  // namespace cst

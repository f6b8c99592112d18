// Strong ids: an AccountId cannot be passed where an InstrumentId is expected, and a client
// order id is not an arbitrary std::string. String ids live inline (no allocation) and are
// limited to the characters every venue we target accepts in client ids.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"

namespace cst {

template <class Tag>
struct IntId {
  std::uint32_t value = 0;
  constexpr auto operator<=>(const IntId&) const = default;
};

struct AccountTag {};
struct InstrumentTag {};
using AccountId = IntId<AccountTag>;
using InstrumentId = IntId<InstrumentTag>;

// Up to Capacity characters from [A-Za-z0-9._:/-], stored inline.
template <class Tag, std::size_t Capacity>
class InlineId {
 public:
  static constexpr std::size_t kCapacity = Capacity;

  InlineId() = default;

  // Validates the characters and length; the error names the offending text.
  static Result<InlineId> parse(std::string_view text) {
    if (text.empty()) return make_error(ErrorCode::kInvalidArgument, "id is empty");
    if (text.size() > Capacity)
      return make_error(ErrorCode::kInvalidArgument,
                        "id '" + std::string(text) + "' is longer than " + std::to_string(Capacity) + " characters");
    for (char c : text) {
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == ':' || c == '/' || c == '-';
      if (!ok)
        return make_error(ErrorCode::kInvalidArgument,
                          "id '" + std::string(text) + "' has a character outside [A-Za-z0-9._:/-]");
    }
    InlineId id;
    std::memcpy(id.chars_.data(), text.data(), text.size());
    id.size_ = static_cast<std::uint8_t>(text.size());
    return id;
  }

  std::string_view view() const { return {chars_.data(), size_}; }
  std::string str() const { return std::string(view()); }
  bool empty() const { return size_ == 0; }
  bool operator==(const InlineId& o) const { return view() == o.view(); }
  auto operator<=>(const InlineId& o) const { return view() <=> o.view(); }

 private:
  std::array<char, Capacity> chars_{};
  std::uint8_t size_ = 0;
};

struct ClientOrderTag {};
struct VenueOrderTag {};
// 36 is Binance's newClientOrderId limit, the tightest of our venues.
using ClientOrderId = InlineId<ClientOrderTag, 36>;
using VenueOrderId = InlineId<VenueOrderTag, 48>;

// Makes "<prefix>-<sequence>" ids; the sequence never repeats within one generator.
class ClientOrderIdGenerator {
 public:
  explicit ClientOrderIdGenerator(std::string prefix, std::uint64_t next = 1)
      : prefix_(std::move(prefix)), next_(next) {}
  ClientOrderId next();
  std::uint64_t peek_sequence() const { return next_; }

 private:
  std::string prefix_;
  std::uint64_t next_;
};

}  // namespace cst

template <class Tag, std::size_t N>
struct std::hash<cst::InlineId<Tag, N>> {
  std::size_t operator()(const cst::InlineId<Tag, N>& id) const noexcept {
    return std::hash<std::string_view>{}(id.view());
  }
};

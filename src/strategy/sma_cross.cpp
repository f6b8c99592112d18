#include "cst/strategy/sma_cross.hpp"

#include <charconv>
#include <stdexcept>

namespace cst {
namespace {

Result<int> parse_int(const std::string& key, const std::string& value) {
  int out = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || ptr != value.data() + value.size())
    return make_error(ErrorCode::kInvalidArgument, "parameter " + key + "='" + value + "' is not an integer");
  return out;
}

}  // namespace

Result<SmaCrossParams> SmaCrossParams::parse(const std::map<std::string, std::string>& params, Sizing size) {
  SmaCrossParams p;
  p.size = std::move(size);
  for (const auto& [key, value] : params) {
    if (key == "fast" || key == "slow" || key == "short") {
      auto v = parse_int(key, value);
      if (!v.ok()) return v.error();
      if (key == "fast") p.fast = *v;
      if (key == "slow") p.slow = *v;
      if (key == "short") {
        if (*v != 0 && *v != 1) return make_error(ErrorCode::kInvalidArgument, "parameter short must be 0 or 1");
        p.allow_short = *v == 1;
      }
    } else {
      return make_error(ErrorCode::kInvalidArgument,
                        "sma_cross has no parameter '" + key + "' (known: fast, slow, short)");
    }
  }
  if (p.fast < 1) return make_error(ErrorCode::kInvalidArgument, "parameter fast must be >= 1");
  if (p.slow > 100000) return make_error(ErrorCode::kInvalidArgument, "parameter slow must be <= 100000");
  if (p.fast >= p.slow)
    return make_error(ErrorCode::kInvalidArgument, "parameter fast (" + std::to_string(p.fast) +
                                                       ") must be smaller than slow (" + std::to_string(p.slow) + ")");
  return p;
}

SmaCross::SmaCross(SmaCrossParams params)
    : params_(std::move(params)), closes_(static_cast<std::size_t>(params_.slow)) {}

int SmaCross::compare_averages() const {
  // fast_sum / fast vs slow_sum / slow  <=>  fast_sum * slow vs slow_sum * fast
  const int128 lhs = fast_sum_ * params_.slow;
  const int128 rhs = slow_sum_ * params_.fast;
  return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
}

void SmaCross::on_bar(StrategyContext& ctx, const Bar& bar) {
  const auto slow = static_cast<std::size_t>(params_.slow);
  const auto fast = static_cast<std::size_t>(params_.fast);
  const std::size_t slot = count_ % slow;
  if (count_ >= slow) slow_sum_ -= closes_[slot];
  if (count_ >= fast) fast_sum_ -= closes_[(count_ - fast) % slow];
  closes_[slot] = bar.close.raw;
  slow_sum_ += bar.close.raw;
  fast_sum_ += bar.close.raw;
  ++count_;
  if (count_ < slow) return;

  const int now = compare_averages();
  const bool crossed_up = have_previous_ && previous_ <= 0 && now > 0;
  const bool crossed_down = have_previous_ && previous_ >= 0 && now < 0;
  previous_ = now;
  have_previous_ = true;
  if (!crossed_up && !crossed_down) return;
  if (ctx.has_open_orders()) return;

  const Qty position = ctx.position();
  if (crossed_up) {
    if (position.raw < 0) ctx.submit(OrderRequest{Side::kBuy, OrderType::kMarket, -position, {}, false, true});
    if (position.raw <= 0) enter(ctx, Side::kBuy, bar.close);
  } else {
    if (position.raw > 0) ctx.submit(OrderRequest{Side::kSell, OrderType::kMarket, position, {}, false, true});
    if (params_.allow_short && position.raw >= 0) enter(ctx, Side::kSell, bar.close);
  }
}

void SmaCross::enter(StrategyContext& ctx, Side side, Price price) {
  auto qty = params_.size.quantity(ctx.instrument(), ctx.equity(), price);
  if (!qty.ok()) throw std::runtime_error("sma_cross sizing: " + qty.error().message);
  if (qty->raw <= 0) return;
  ctx.submit(OrderRequest{side, OrderType::kMarket, *qty, {}, false, false});
}

}  // namespace cst

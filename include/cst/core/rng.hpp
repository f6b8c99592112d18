// A seeded, portable random generator (xoshiro256**, seeded by splitmix64). The standard
// library's distributions differ between implementations, so draws that must be identical
// on every machine (synthetic data, fill knobs) use these functions instead. state()/set_state()
// let a generator continue across a process restart (the paper exchange keeps it in its file).
#pragma once

#include <cmath>
#include <cstdint>

namespace cst {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Standard normal by Box-Muller (both halves used), deterministic given the seed.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    constexpr double kTwoPi = 6.283185307179586476925286766559;
    spare_ = r * std::sin(kTwoPi * u2);
    has_spare_ = true;
    return r * std::cos(kTwoPi * u2);
  }

  bool bernoulli(double p) { return uniform() < p; }

  // Everything the next draws depend on: the xoshiro words and Box-Muller's unused half.
  struct State {
    std::uint64_t words[4]{};
    double spare = 0.0;
    bool has_spare = false;
    bool operator==(const State&) const = default;
  };
  State state() const {
    State st;
    for (int i = 0; i < 4; ++i) st.words[i] = s_[i];
    st.spare = spare_;
    st.has_spare = has_spare_;
    return st;
  }
  // After set_state(state()), the generator draws exactly what it would have drawn.
  void set_state(const State& st) {
    for (int i = 0; i < 4; ++i) s_[i] = st.words[i];
    spare_ = st.spare;
    has_spare_ = st.has_spare;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t s_[4]{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace cst

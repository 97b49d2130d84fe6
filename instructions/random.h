// The one random number generator of the engine. Every random choice (data, programs,
// mutations, random ops, shuffles) draws from an Rng seeded from the experiment's seed, so a
// run is reproducible bit for bit. xoshiro256** with splitmix64 seeding: fast, small state
// (which checkpoints save), and the same numbers on every platform, unlike std:: distributions.
#ifndef INSTRUCTIONS_RANDOM_H_
#define INSTRUCTIONS_RANDOM_H_

#include <array>
#include <cmath>
#include <cstdint>

namespace automl {

// Mixes a 64-bit value; used for seeding and for deriving independent seeds.
inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A seed for sub-stream `stream` of `seed` (an island, a task, an evaluation...).
inline uint64_t DeriveSeed(uint64_t seed, uint64_t stream) {
  return SplitMix64(SplitMix64(seed) ^ SplitMix64(stream + 0x632BE59BD9B4E019ULL));
}

class Rng {
 public:
  using State = std::array<uint64_t, 4>;

  explicit Rng(uint64_t seed = 0) { Seed(seed); }

  void Seed(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& word : state_) {
      x = SplitMix64(x);
      word = x;
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double UniformDouble() { return (Next() >> 11) * 0x1.0p-53; }

  // Uniform in [low, high).
  double Uniform(double low, double high) { return low + (high - low) * UniformDouble(); }

  // Uniform integer in [0, n); n > 0. Lemire's multiply-shift (bias below 2^-32 for small n).
  uint32_t UniformInt(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }

  // Uniform integer in [low, high); low < high.
  int UniformIntIn(int low, int high) {
    return low + static_cast<int>(UniformInt(static_cast<uint32_t>(high - low)));
  }

  bool Bernoulli(double p) { return UniformDouble() < p; }

  // Normal with the given mean and standard deviation (Box-Muller, one value per call so the
  // generator state is the whole state).
  double Gaussian(double mean, double stddev) {
    double u1 = UniformDouble();
    while (u1 <= 0.0) u1 = UniformDouble();
    const double u2 = UniformDouble();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    return mean + stddev * radius * std::cos(6.283185307179586 * u2);
  }

  const State& state() const { return state_; }
  void set_state(const State& state) { state_ = state; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  State state_;
};

}  // namespace automl

#endif  // INSTRUCTIONS_RANDOM_H_

// Quantization of prediction errors for the FEC signature (Executor::FecSignature): errors
// equal up to rounding must collide, so each is rounded to 30 significant bits and mapped to a
// canonical code.
#ifndef EXECUTOR_SIGNATURE_H_
#define EXECUTOR_SIGNATURE_H_

#include <cmath>
#include <cstdint>
#include <cstring>

namespace automl {

// The definition: frexp, then round the mantissa to 30 bits (halves away from zero). Kept as
// the reference QuantizeError is tested against.
inline uint64_t QuantizeErrorReference(double x) {
  if (x == 0.0) return 0;
  int exponent;
  const double mantissa = std::frexp(x, &exponent);         // |mantissa| in [0.5, 1).
  int64_t rounded = std::llround(mantissa * 1073741824.0);  // 2^30.
  // A mantissa that rounds up to 1 is the next power of two: give it that power's code, so
  // that x and the value it rounds to collide.
  if (rounded == 1073741824 || rounded == -1073741824) {
    rounded /= 2;
    ++exponent;
  }
  return (static_cast<uint64_t>(rounded) << 16) ^ static_cast<uint64_t>(exponent + 4096);
}

// The same codes from the bits of a normal double, without libm calls (frexp and llround were
// a tenth of the demo search's time). Zeros, subnormals, infinities and NaNs take the
// reference path.
inline uint64_t QuantizeError(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof(bits));
  const int biased_exponent = static_cast<int>((bits >> 52) & 0x7FF);
  if (biased_exponent == 0 || biased_exponent == 0x7FF) return QuantizeErrorReference(x);
  // |x| = (2^52 + fraction) * 2^(biased_exponent - 1075), and frexp's mantissa is
  // (2^52 + fraction) / 2^53 with exponent biased_exponent - 1022; times 2^30 that is
  // (2^52 + fraction) / 2^23, rounded half up in magnitude.
  const uint64_t significand = (bits & ((uint64_t{1} << 52) - 1)) | (uint64_t{1} << 52);
  int64_t magnitude = static_cast<int64_t>((significand + (uint64_t{1} << 22)) >> 23);
  int exponent = biased_exponent - 1022;
  if (magnitude == (int64_t{1} << 30)) {
    magnitude >>= 1;
    ++exponent;
  }
  const int64_t rounded = (bits >> 63) ? -magnitude : magnitude;
  return (static_cast<uint64_t>(rounded) << 16) ^ static_cast<uint64_t>(exponent + 4096);
}

}  // namespace automl

#endif  // EXECUTOR_SIGNATURE_H_

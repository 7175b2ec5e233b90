// core/base/le_bytes.h: little-endian 32-bit words in byte buffers, for the core's own weight
// files (head.h, amortized_explainer.h): the same bytes on every platform.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/base/rng.h"

namespace sl {

inline void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int k = 0; k < 4; ++k) out.push_back(uint8_t(v >> (8 * k)));
}

inline uint32_t get_u32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

inline void put_floats(std::vector<uint8_t>& out, std::span<const float> v) {
    for (float f : v) put_u32(out, bit_cast<uint32_t>(f));
}

// Reads count floats at p into v and advances p; false when one is not finite.
inline bool get_floats(const uint8_t*& p, size_t count, std::vector<float>& v) {
    v.resize(count);
    bool finite = true;
    for (float& f : v) {
        f = bit_cast<float>(get_u32(p));
        finite &= f - f == 0;  // false for inf and NaN
        p += 4;
    }
    return finite;
}

}  // namespace sl

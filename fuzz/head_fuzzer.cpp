// fuzz/head_fuzzer.cpp: a head weights file (core/model/head.h: parse_head), as `model train` writes
// it and the model build reads it back: a file anyone could replace. What parses must be usable:
// it predicts a probability and writes back to the same bytes.
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/model/head.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> bytes(data, size);
    auto head = sl::parse_head(bytes);
    if (!head) return 0;
    const std::vector<float> features(size_t(head->inputs), 1.f);
    const float p = sl::predict_head(*head, features.data());
    assert(!(p < 0) && !(p > 1));  // NaN allowed: finite weights can still overflow to inf - inf
    const std::vector<uint8_t> again = sl::serialize_head(*head);
    assert(again.size() == size && std::equal(again.begin(), again.end(), data));
    return 0;
}

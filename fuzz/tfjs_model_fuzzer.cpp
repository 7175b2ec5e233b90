// fuzz/tfjs_model_fuzzer.cpp: a TF.js layers model, model.json and its weight shards
// (core/model/tfjs_model.h), then the ONNX conversion of whatever parses (core/model/onnx_convert.h): the
// converter trusts the parser's checks, so the two are fuzzed together.
//
// Input: the model.json text, a NUL byte, then the shards' bytes concatenated (no NUL: no
// weights). The seeds are the models of the project's own tests (fuzz/make_seeds.cpp).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "core/model/onnx_convert.h"
#include "core/model/tfjs_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto* nul = static_cast<const uint8_t*>(std::memchr(data, 0, size));
    const size_t json_size = nul ? size_t(nul - data) : size;
    const std::string_view json(reinterpret_cast<const char*>(data), json_size);
    const std::span<const uint8_t> weights = nul ? std::span(nul + 1, data + size) : std::span<const uint8_t>();
    auto model = sl::parse_tfjs_model(json, weights);
    if (!model) return 0;
    (void)sl::convert_to_onnx(*model, {});
    return 0;
}

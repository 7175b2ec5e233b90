// wasm/bindings/js_values.h: what every binding needs to hand values across the Embind boundary.
//   error("why")    -> {error: "why"}: bindings never throw into JS; tools/cli/core.mjs and the
//                      app turn this object into an Error or a message
//   to_js(vector or span) -> a new Float64Array / Float32Array / Int32Array / Uint8Array holding a
//                      copy (a view into wasm memory would go stale when memory grows or the
//                      vector dies)
//   per_row(v, rows, columns) -> an Array of rows, each an Array of numbers (values per class)
//   is_array_like(v) -> an Array or a typed array (what convertJSArrayToNumberVector reads)
#pragma once
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace sl::js {

inline emscripten::val error(const std::string& message) {
    emscripten::val out = emscripten::val::object();
    out.set("error", message);
    return out;
}

template <typename T>
emscripten::val to_js(std::span<const T> v) {
    static_assert(std::is_same_v<T, double> || std::is_same_v<T, float> || std::is_same_v<T, int> ||
                  std::is_same_v<T, uint8_t>);
    const char* type = std::is_same_v<T, double>  ? "Float64Array"
                       : std::is_same_v<T, float> ? "Float32Array"
                       : std::is_same_v<T, int>   ? "Int32Array"
                                                  : "Uint8Array";
    return emscripten::val::global(type).new_(emscripten::typed_memory_view(v.size(), v.data()));
}

template <typename T>
emscripten::val to_js(const std::vector<T>& v) {
    return to_js(std::span<const T>(v));
}

// A plain Array of numbers (JSON-friendly, unlike a typed array).
inline emscripten::val numbers(std::span<const double> v) {
    emscripten::val out = emscripten::val::array();
    for (double x : v) out.call<void>("push", x);
    return out;
}

// rows x columns values (row-major) as an Array of per-row Arrays.
inline emscripten::val per_row(std::span<const double> v, int rows, int columns) {
    emscripten::val out = emscripten::val::array();
    for (int r = 0; r < rows; ++r)
        out.call<void>("push", numbers(v.subspan(size_t(r) * size_t(columns), size_t(columns))));
    return out;
}

inline bool is_array_like(const emscripten::val& v) {
    return emscripten::val::global("Array").call<bool>("isArray", v) ||
           (emscripten::val::global("ArrayBuffer").call<bool>("isView", v) && v["length"].isNumber());
}

}  // namespace sl::js

// tests/core/onnx_test_util.h: reading a model's initializers back, for the ONNX tests.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/model/onnx_writer.h"

namespace sl::test {

// The elements of initializer `name` as T (a test failure, and nothing, when there is none).
template <typename T = float>
std::vector<T> initializer_values(const OnnxModel& m, const std::string& name) {
    for (const auto& t : m.graph.initializers)
        if (t.name == name) {
            std::vector<T> v(t.raw.size() / sizeof(T));
            std::memcpy(v.data(), t.raw.data(), t.raw.size());
            return v;
        }
    ADD_FAILURE() << "no initializer " << name;
    return {};
}

}  // namespace sl::test

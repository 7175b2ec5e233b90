// tests/core/tfjs_fixture.h: builds small TF.js layers models (model.json text + weight buffer)
// in memory, with seeded random weights, for tfjs_model_test.cpp and onnx_convert_test.cpp.
//
//   TfjsFixture f;
//   auto x = f.input("in", 9, 9, 3);
//   x = f.conv("c1", x, 4, 3, 2, "same");
//   x = f.batch_norm("bn1", x);
//   auto m = sl::parse_tfjs_model(f.json_text(x), f.bytes());
#pragma once
#include <cstdint>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

class TfjsFixture {
public:
    using json = nlohmann::json;
    explicit TfjsFixture(uint32_t seed = 7) : state_(seed) {}

    // Uniform in [lo, hi), from a fixed LCG: the same weights on every platform.
    float uniform(float lo, float hi) {
        state_ = state_ * 1664525u + 1013904223u;
        return lo + (hi - lo) * float(state_ >> 8) / float(1u << 24);
    }

    std::string input(const std::string& name, int h, int w, int c) {
        channels_[name] = c;
        layers_.push_back(
            {{"name", name},
             {"class_name", "InputLayer"},
             {"config", {{"batch_input_shape", {nullptr, h, w, c}}, {"dtype", "float32"}, {"name", name}}},
             {"inbound_nodes", json::array()}});
        return name;
    }
    std::string layer(const std::string& kind, const std::string& name, json config,
                      const std::vector<std::string>& inputs) {
        json inbound = json::array();
        for (const auto& in : inputs) inbound.push_back({in, 0, 0, json::object()});
        config["name"] = name;
        layers_.push_back(
            {{"name", name}, {"class_name", kind}, {"config", config}, {"inbound_nodes", json::array({inbound})}});
        channels_[name] = channels_[inputs.at(0)];
        return name;
    }
    // A weight with values uniform in [lo, hi).
    void weight(const std::string& name, std::vector<int> shape, float lo, float hi) {
        size_t n = 1;
        for (int d : shape) n *= size_t(d);
        manifest_.push_back({{"name", name}, {"shape", shape}, {"dtype", "float32"}});
        for (size_t i = 0; i < n; ++i) values_.push_back(uniform(lo, hi));
    }

    std::string zero_pad(const std::string& name, const std::string& in, int p) {
        return layer("ZeroPadding2D", name, {{"padding", {{p, p}, {p, p}}}, {"data_format", "channels_last"}}, {in});
    }
    std::string conv(const std::string& name, const std::string& in, int filters, int k, int stride,
                     const std::string& padding, const std::string& activation = "linear", bool use_bias = true) {
        int cin = channels_.at(in);
        layer("Conv2D", name,
              {{"filters", filters},
               {"kernel_size", {k, k}},
               {"strides", {stride, stride}},
               {"padding", padding},
               {"data_format", "channels_last"},
               {"dilation_rate", {1, 1}},
               {"activation", activation},
               {"use_bias", use_bias}},
              {in});
        channels_[name] = filters;
        weight(name + "/kernel", {k, k, cin, filters}, -0.5f, 0.5f);
        if (use_bias) weight(name + "/bias", {filters}, -0.5f, 0.5f);
        return name;
    }
    // Statistics far from the identity: variance up to 40, means off zero.
    std::string batch_norm(const std::string& name, const std::string& in, double epsilon = 1e-3) {
        int c = channels_.at(in);
        layer("BatchNormalization", name, {{"axis", {3}}, {"epsilon", epsilon}, {"center", true}, {"scale", true}},
              {in});
        weight(name + "/gamma", {c}, 0.5f, 2.f);
        weight(name + "/beta", {c}, -1.f, 1.f);
        weight(name + "/moving_mean", {c}, -2.f, 2.f);
        weight(name + "/moving_variance", {c}, 0.05f, 40.f);
        return name;
    }
    std::string activation(const std::string& name, const std::string& in, const std::string& a = "relu") {
        return layer("Activation", name, {{"activation", a}}, {in});
    }
    std::string max_pool(const std::string& name, const std::string& in, int k, int s,
                         const std::string& padding = "valid") {
        return layer(
            "MaxPooling2D", name,
            {{"pool_size", {k, k}}, {"strides", {s, s}}, {"padding", padding}, {"data_format", "channels_last"}}, {in});
    }
    std::string add(const std::string& name, const std::vector<std::string>& ins) {
        return layer("Add", name, json::object(), ins);
    }
    std::string global_pool(const std::string& name, const std::string& in) {
        return layer("GlobalAveragePooling2D", name, {{"data_format", "channels_last"}}, {in});
    }
    std::string dense(const std::string& name, const std::string& in, int units,
                      const std::string& activation = "softmax") {
        int cin = channels_.at(in);
        layer("Dense", name, {{"units", units}, {"activation", activation}, {"use_bias", true}}, {in});
        channels_[name] = units;
        weight(name + "/kernel", {cin, units}, -0.5f, 0.5f);
        weight(name + "/bias", {units}, -0.5f, 0.5f);
        return name;
    }

    json model(const std::string& output) const {
        json config = {{"name", "fixture"},
                       {"layers", layers_},
                       {"input_layers", {{layers_.at(0)["name"], 0, 0}}},
                       {"output_layers", {{output, 0, 0}}}};
        return {{"format", "layers-model"},
                {"modelTopology", {{"model_config", {{"class_name", "Model"}, {"config", config}}}}},
                {"weightsManifest", {{{"paths", {"group1-shard1of1.bin"}}, {"weights", manifest_}}}}};
    }
    std::string json_text(const std::string& output) const { return model(output).dump(); }
    std::vector<uint8_t> bytes() const {
        std::vector<uint8_t> b(values_.size() * 4);
        if (!b.empty()) std::memcpy(b.data(), values_.data(), b.size());
        return b;
    }
    const std::vector<float>& values() const { return values_; }

private:
    uint32_t state_;
    json layers_ = json::array();
    json manifest_ = json::array();
    std::vector<float> values_;
    std::map<std::string, int> channels_;
};

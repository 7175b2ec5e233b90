// core/model/model_card.cpp: parsing and validating model cards (see core/model/model_card.h).
#include "core/model/model_card.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace sl {
namespace {

using nlohmann::json;

// nlohmann/json is built without exceptions here: check every type before reading it.
// Each value must be finite as a float (1e39 is not) and, with `nonzero`, not 0: a card that
// made every input NaN, infinite or 0 would give a model nothing to see, and no error.
Result<void> read_triple(const json& j, const char* key, bool nonzero, std::array<float, 3>& out) {
    if (!j.contains(key)) return {};
    const json& v = j[key];
    const std::string what =
        std::string("model card: input.") + key + " must be 3 finite" + (nonzero ? ", non-zero" : "") + " numbers";
    if (!v.is_array() || v.size() != 3) return fail(what);
    for (int i = 0; i < 3; ++i) {
        if (!v[i].is_number()) return fail(what);
        const double x = v[i].get<double>();
        if (!(std::fabs(x) <= double(std::numeric_limits<float>::max())) || (nonzero && x == 0)) return fail(what);
        out[i] = float(x);
    }
    return {};
}

const json* string_field(const json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? &j[key] : nullptr;
}

}  // namespace

std::vector<float> ModelCard::class_probabilities(std::span<const float> outputs) const {
    if (output_kind == OutputKind::sigmoid) return {1.f - outputs[0], outputs[0]};
    return std::vector<float>(outputs.begin(), outputs.begin() + num_classes());
}

Result<ModelCard> parse_model_card(std::string_view text) {
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail("model card: not a JSON object");
    ModelCard card;
    if (auto* s = string_field(j, "name")) card.name = s->get<std::string>();
    if (auto* s = string_field(j, "model"))
        card.model_file = s->get<std::string>();
    else
        return fail("model card: \"model\" (the ONNX file name) is missing");
    if (j.contains("model_webgpu")) {
        auto* s = string_field(j, "model_webgpu");
        if (!s) return fail("model card: \"model_webgpu\" must be an ONNX file name");
        card.webgpu_model_file = s->get<std::string>();
    }

    if (!j.contains("input") || !j["input"].is_object()) return fail("model card: \"input\" is missing");
    const json& in = j["input"];
    InputSpec& spec = card.input;
    if (auto* s = string_field(in, "name")) spec.name = s->get<std::string>();
    for (auto [key, dst] : {std::pair{"width", &spec.width}, std::pair{"height", &spec.height}}) {
        if (!in.contains(key) || !in[key].is_number_integer())
            return fail(std::string("model card: input.") + key + " must be an integer");
        *dst = in[key].get<int>();
        if (*dst < 1 || *dst > 4096) return fail(std::string("model card: input.") + key + " out of range");
    }
    if (auto* s = string_field(in, "layout")) {
        if (*s == "NCHW")
            spec.layout = Layout::nchw;
        else if (*s == "NHWC")
            spec.layout = Layout::nhwc;
        else
            return fail("model card: input.layout must be NCHW or NHWC");
    }
    if (auto* s = string_field(in, "channels")) {
        if (*s == "RGB")
            spec.channels = ChannelOrder::rgb;
        else if (*s == "BGR")
            spec.channels = ChannelOrder::bgr;
        else
            return fail("model card: input.channels must be RGB or BGR");
    }
    if (auto ok = read_triple(in, "mean", false, spec.mean); !ok) return Error{ok.error()};
    if (auto ok = read_triple(in, "scale", true, spec.scale); !ok) return Error{ok.error()};

    if (j.contains("output") && j["output"].is_object()) {
        const json& out = j["output"];
        if (auto* s = string_field(out, "name")) card.output_name = s->get<std::string>();
        if (auto* s = string_field(out, "kind")) {
            if (*s == "sigmoid")
                card.output_kind = OutputKind::sigmoid;
            else if (*s == "softmax")
                card.output_kind = OutputKind::softmax;
            else
                return fail("model card: output.kind must be sigmoid or softmax");
        }
    }
    if (!j.contains("labels") || !j["labels"].is_array()) return fail("model card: \"labels\" is missing");
    for (const json& l : j["labels"]) {
        if (!l.is_string()) return fail("model card: labels must be strings");
        card.labels.push_back(l.get<std::string>());
    }
    if (card.labels.size() < 2) return fail("model card: at least two labels are needed");
    if (j.contains("features")) {
        const json& f = j["features"];
        const json* name = f.is_object() ? string_field(f, "name") : nullptr;
        const bool shaped = name && f.contains("shape") && f["shape"].is_array() && f["shape"].size() == 3 &&
                            f["shape"][0].is_number_integer() && f["shape"][1].is_number_integer() &&
                            f["shape"][2].is_number_integer();
        if (!shaped) return fail("model card: \"features\" must be {\"name\": output name, \"shape\": [C, H, W]}");
        card.features_name = name->get<std::string>();
        card.features_channels = f["shape"][0].get<int>();
        card.features_height = f["shape"][1].get<int>();
        card.features_width = f["shape"][2].get<int>();
        for (int v : {card.features_channels, card.features_height, card.features_width})
            if (v < 1 || v > 8192) return fail("model card: features.shape out of range");
    }
    if (j.contains("explainer")) {
        const json& e = j["explainer"];
        const json* file = e.is_object() ? string_field(e, "file") : nullptr;
        if (!file) return fail("model card: \"explainer\" must name its \"file\"");
        card.explainer_file = file->get<std::string>();
        if (e.contains("prior_error")) {
            if (!e["prior_error"].is_number() || !(e["prior_error"].get<double>() > 0))
                return fail("model card: explainer.prior_error must be a number above 0");
            card.explainer_prior_error = e["prior_error"].get<double>();
        }
        if (card.features_name.empty()) return fail("model card: an \"explainer\" needs the model's \"features\"");
    }
    if (card.output_kind == OutputKind::sigmoid && card.labels.size() != 2)
        return fail("model card: a sigmoid output needs exactly two labels");
    return card;
}

}  // namespace sl

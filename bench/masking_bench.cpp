// bench/masking_bench.cpp: what building masked model inputs costs (core/explain/masking.h), beside the
// model's own time (ResNet50: about 20-40 ms per 224x224 image natively, ~116 ms in a browser).
// Prints JSON: ms per masked 224x224 input in batches of 32 (median over photos), for the Masker
// and for the plain way (paint the background into the photo at display size, then
// sl::image_to_tensor), and the one-off set-up per photo (SLIC, the masking footprints).
//
//   build/native/bench/masking_bench [PHOTO...]
//   node --no-experimental-fetch build/wasm/bench/masking_bench.js [PHOTO...]
//
// PHOTO defaults to the first 5 photos of each class in santa/test of SANTA_LENS_DATA_DIR.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/rng.h"
#include "core/explain/explainer.h"
#include "core/explain/masking.h"
#include "core/explain/slic.h"

namespace {

namespace fs = std::filesystem;

double now_ms() {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::vector<std::string> default_photos() {
    std::vector<std::string> out;
    for (const char* label : {"person", "santa"}) {
        const fs::path dir = fs::path(SANTA_LENS_DATA_DIR) / "santa/test" / label;
        if (!fs::is_directory(dir)) continue;
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().string());
        std::sort(names.begin(), names.end());
        names.resize(std::min<size_t>(names.size(), 5));
        out.insert(out.end(), names.begin(), names.end());
    }
    return out;
}

struct Figures {
    int segments = 0;
    double slic_ms = 0, setup_ms = 0, masker_ms = 0, plain_ms = 0;  // the last two per input
};

Figures measure(const sl::Image& photo, const sl::InputSpec& spec, int batch) {
    Figures f;
    double t = now_ms();
    const sl::Image display = sl::display_image(photo, 512);
    auto seg = sl::slic(display, {});
    f.slic_ms = now_ms() - t;
    if (!seg) return f;
    t = now_ms();
    auto masker = sl::Masker::create(photo, *seg, spec, {});
    f.setup_ms = now_ms() - t;
    if (!masker) return f;
    const int m = f.segments = seg->count;

    // Random coalitions, half the superpixels present on average.
    sl::Rng rng(7);
    std::vector<uint8_t> present(size_t(batch) * m);
    std::vector<float> x(size_t(batch) * spec.tensor_size());
    const int batches = 4;
    for (int b = 0; b < batches; ++b) {
        for (auto& z : present) z = rng.uniform() < 0.5;
        t = now_ms();
        masker->masked_inputs(present, batch, x.data());
        f.masker_ms += (now_ms() - t) / (batches * batch);
    }
    // The plain way: composite at display size, then resize + normalise each input.
    const sl::Image bg = sl::resize_image(masker->resized_background(), display.width, display.height);
    sl::Image composite = display;
    for (auto& z : present) z = rng.uniform() < 0.5;
    t = now_ms();
    for (int r = 0; r < batch; ++r) {
        for (size_t p = 0; p < seg->labels.size(); ++p) {
            const bool on = present[size_t(r) * m + size_t(seg->labels[p])];
            for (int c = 0; c < 3; ++c) composite.rgb[p * 3 + c] = on ? display.rgb[p * 3 + c] : bg.rgb[p * 3 + c];
        }
        sl::image_to_tensor(composite, spec, x.data() + size_t(r) * spec.tensor_size());
    }
    f.plain_ms = (now_ms() - t) / batch;
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> files(argv + 1, argv + argc);
    if (files.empty()) files = default_photos();
    if (files.empty()) {
        std::fprintf(stderr, "usage: masking_bench PHOTO... (no photos in %s/santa/test)\n", SANTA_LENS_DATA_DIR);
        return 1;
    }
    const sl::InputSpec spec;  // 224x224 NCHW BGR, the default model's
    const int batch = 32;
    std::vector<double> slic, setup, masker, plain, segments;
    for (const std::string& file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        auto photo = sl::decode_image(bytes);
        if (!photo) {
            std::fprintf(stderr, "%s: %s\n", file.c_str(), photo.error().c_str());
            continue;
        }
        const Figures f = measure(*photo, spec, batch);
        if (f.segments == 0) {
            std::fprintf(stderr, "%s: superpixels or masking failed\n", file.c_str());
            continue;
        }
        slic.push_back(f.slic_ms), setup.push_back(f.setup_ms), segments.push_back(f.segments);
        masker.push_back(f.masker_ms), plain.push_back(f.plain_ms);
    }
#ifdef __EMSCRIPTEN__
    const char* implementation = "santa-lens wasm (node)";
#else
    const char* implementation = "santa-lens native";
#endif
    const nlohmann::json out = {
        {"implementation", implementation},
        {"photos", slic.size()},
        {"batch", batch},
        {"model_input", std::to_string(spec.width) + "x" + std::to_string(spec.height)},
        {"segments_median", median(segments)},
        {"ms_per_masked_input", median(masker)},
        {"ms_per_input_composite_then_image_to_tensor", median(plain)},
        {"setup_ms_per_photo", {{"slic_at_512", median(slic)}, {"masking_footprints", median(setup)}}}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

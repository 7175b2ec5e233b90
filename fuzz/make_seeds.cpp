// fuzz/make_seeds.cpp: writes each fuzz target's seed corpus, made by the same helpers the unit
// tests use (tests/core/test_*.h, tfjs_fixture.h) and from the project's own model card, plus
// the inputs the fuzzers found (tests/core/fuzz_found/TARGET-*), which the unit tests replay.
// No photo from anywhere else: every image is a synthetic test picture.
//
//   make_seeds OUT_DIR REPO_ROOT    -> OUT_DIR/{photo,tfjs_model,head,model_card,options}/NAME
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/image/image.h"
#include "core/model/head.h"
#include "tests/core/test_files.h"
#include "tests/core/test_images.h"
#include "tests/core/test_webp.h"
#include "tests/core/tfjs_fixture.h"

namespace {

namespace fs = std::filesystem;
using test_files::Bytes;

fs::path out_dir;

void write(const std::string& target, const std::string& name, const Bytes& bytes) {
    fs::create_directories(out_dir / target);
    std::ofstream(out_dir / target / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}
void write(const std::string& target, const std::string& name, const std::string& text) {
    write(target, name, Bytes(text.begin(), text.end()));
}

void photos() {
    const sl::Image img = test_photo(5, 24, 16), tiny = test_photo(6, 3, 2);
    write("photo", "rgb.png", sl::encode_png(img));
    write("photo", "tiny.png", sl::encode_png(tiny));
    write("photo", "q90.jpg", sl::encode_jpeg(img, 90));
    write("photo", "q20.jpg", sl::encode_jpeg(tiny, 20));
    write("photo", "exif6-le.jpg", test_files::with_orientation(sl::encode_jpeg(img, 75), 6, false));
    write("photo", "exif3-be.jpg", test_files::with_orientation(sl::encode_jpeg(tiny, 75), 3, true));
    write("photo", "info.bmp", test_files::bmp(img, false));
    write("photo", "core.bmp", test_files::bmp(tiny, true));
    write("photo", "one.gif", test_files::gif_frames(1));
    write("photo", "three.gif", test_files::gif_frames(3, 2, 2));
    write("photo", "lossless.webp", webp_lossless(img));
    write("photo", "lossy.webp", webp_lossy(tiny, 50));
    write("photo", "animated.webp", webp_animation({tiny, test_photo(7, 3, 2)}));
}

// Models of tests/core/model/tfjs_model_test.cpp's kind: every layer kind, a residual Add, weights.
void tfjs_models() {
    auto seed = [](const TfjsFixture& f, const std::string& out) {
        std::string text = f.json_text(out);
        Bytes b(text.begin(), text.end());
        b.push_back(0);
        const Bytes w = f.bytes();
        b.insert(b.end(), w.begin(), w.end());
        return b;
    };
    {
        TfjsFixture f;
        auto x = f.input("in", 9, 9, 3);
        x = f.zero_pad("pad", x, 1);
        x = f.conv("c1", x, 4, 3, 2, "valid");
        x = f.batch_norm("bn1", x);
        x = f.activation("r1", x);
        auto a = f.conv("c2", x, 4, 3, 1, "same", "relu");
        x = f.add("add", {x, a});
        x = f.max_pool("pool", x, 2, 2, "same");
        x = f.dense("fc", f.global_pool("gap", x), 2);
        write("tfjs_model", "residual", seed(f, x));
    }
    {
        TfjsFixture f(3);
        auto x = f.conv("c", f.input("in", 4, 4, 1), 2, 1, 1, "valid", "sigmoid", false);
        x = f.dense("d", f.global_pool("g", x), 1, "sigmoid");
        write("tfjs_model", "small", seed(f, x));
    }
}

void heads() {
    for (int hidden : {0, 3}) {
        sl::Head h;
        h.inputs = 4, h.hidden = hidden;
        h.w1.assign(size_t(4 * hidden), 0.25f);
        h.b1.assign(size_t(hidden), -0.5f);
        h.w2.assign(size_t(hidden ? hidden : 4), 1.5f);
        h.b2 = 0.125f;
        write("head", "hidden" + std::to_string(hidden), sl::serialize_head(h));
    }
}

void model_cards(const fs::path& repo) {
    std::ifstream f(repo / "assets/santa_resnet50.json", std::ios::binary);
    write("model_card", "santa_resnet50.json", Bytes(std::istreambuf_iterator<char>(f), {}));
    write("model_card", "softmax.json",
          R"({"name": "three", "model": "m.onnx", "input": {"name": "x", "layout": "NHWC", "width": 8, )"
          R"("height": 6, "channels": "RGB", "mean": [0.5, 0.5, 0.5], "scale": [2, 2, 2]}, )"
          R"("output": {"name": "y", "kind": "softmax"}, "labels": ["a", "b", "c"]})");
}

// tests/core/fuzz_found/TARGET-NAME -> OUT_DIR/TARGET/found-NAME
void found(const fs::path& repo) {
    for (const auto& e : fs::directory_iterator(repo / "tests/core/fuzz_found")) {
        const std::string name = e.path().filename().string();
        for (const char* target : {"photo", "tfjs_model", "head", "model_card", "options"})
            if (name.starts_with(std::string(target) + "-")) {
                std::ifstream f(e.path(), std::ios::binary);
                write(target, "found-" + name.substr(std::strlen(target) + 1),
                      Bytes(std::istreambuf_iterator<char>(f), {}));
            }
    }
}

// The options the bindings' own tests and the CLI pass (tests/node, tools/cli).
void options() {
    const char* sets[] = {
        R"({"call": "explain", "budget": 48, "segments": 30, "background": "blur"})",
        R"({"call": "explain", "estimator": "kernel", "sampler": "shap", "budget": 32, "batchSize": 8, "output": "probability", "background": "#ff8800", "seed": 3})",
        R"({"call": "explain", "segments": 4, "compactness": 10, "sigma": 0, "displayMaxSide": 16, "background": "mean", "topGroups": 2, "tolerance": 0})",
        R"({"call": "trainHead", "hidden": 8, "dropout": 0.5, "learningRate": 0.001, "epochs": 2, "batchSize": 4, "l2": 0.01, "seed": 2, "balanceClasses": true})",
        R"({"call": "trainHead", "hidden": 0, "rho": 0.9, "epsilon": 1e-7, "photos": 24, "dim": 16})",
        R"({"call": "shapBench", "sampler": "kernel", "surrogate": "logistic", "budget": 64, "batchSize": 16, "seed": 1, "game": 5})",
        R"({"call": "shapBench", "sampler": "leverage", "surrogate": "auto", "budget": 32, "game": 4, "seeds": 2})",
        R"({"call": "nearDuplicates", "phashStrict": 8, "dhashStrict": 16, "phashLoose": 16, "cosineStrict": 0.95, "cosineLoose": 0.92})",
        R"({"call": "shortcuts", "folds": 5, "seed": 1, "maxDepth": 4, "minLeaf": 5, "margin": 0.1, "photos": 40})",
        R"({"call": "fitPhotos", "folds": 3, "seed": 1, "photos": 12})",
        R"({"call": "contactSheet", "thumb": 48, "columns": 3, "fontPx": 14, "title": "Suspects", "caption": "santa/001.jpg"})",
    };
    int i = 0;
    for (const char* s : sets) write("options", "set" + std::to_string(i++) + ".json", std::string(s));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: make_seeds OUT_DIR REPO_ROOT\n");
        return 2;
    }
    out_dir = argv[1];
    photos();
    tfjs_models();
    heads();
    model_cards(argv[2]);
    options();
    found(argv[2]);
    return 0;
}

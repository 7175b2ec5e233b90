// wasm/app/app_bridge.cpp: what the page tells the app and what the app asks of the page
// (see app_bridge.h). The exports only translate: C strings and pointers in, app_pipeline.h and
// app_explain.h calls, and model requests, live-region text and downloads out to JS.
#include "wasm/app/app_bridge.h"

#include <emscripten/emscripten.h>

#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/explain/explanation_report.h"
#include "wasm/app/app_explain.h"
#include "wasm/app/app_export.h"
#include "wasm/app/app_pipeline.h"
#include "wasm/app/main_loop.h"

// --- calls into the page ---------------------------------------------------------------------
// The EM_JS bodies are JavaScript, which clang-format would lay out as C++.
// clang-format off

// `input` is a view of wasm memory, valid during this call only (memory growth replaces it, the
// next batch overwrites it): the page copies it before returning, into a buffer it keeps for the
// next call (web/ort_session.mjs). A fresh copy here (slice) cost 30-45 ms a batch of 16.
// `features_name`: "" when only the scores are wanted.
EM_JS(void, host_run_model, (int request_id, const float* input, int count, const char* input_name,
                             int d0, int d1, int d2, int d3, const char* output_name, int outputs,
                             const char* features_name), {
    Module.host.runModel({
        id: request_id,
        input: HEAPF32.subarray(input >>> 2, (input >>> 2) + count),
        inputName: UTF8ToString(input_name),
        dims: [d0, d1, d2, d3],
        outputName: UTF8ToString(output_name),
        outputs: outputs,
        featuresName: UTF8ToString(features_name)
    });
});

EM_JS(void, host_announce, (const char* kind, const char* text, const char* photo, const char* label,
                            double probability), {
    Module.host.announce({
        kind: UTF8ToString(kind),
        text: UTF8ToString(text),
        photo: UTF8ToString(photo),
        label: UTF8ToString(label),
        probability: probability
    });
});

// `data`: the explanation's figures for tests, as a JSON object text.
EM_JS(void, host_explain_status, (const char* kind, const char* text, const char* data), {
    Module.host.explainStatus({ kind: UTF8ToString(kind), text: UTF8ToString(text), data: JSON.parse(UTF8ToString(data)) });
});

EM_JS(void, host_layout, (const char* json), { Module.host.layout(UTF8ToString(json)); });

// The bytes are copied at once into the Blob.
EM_JS(void, host_download, (const char* name, const char* type, const uint8_t* bytes, int size), {
    Module.host.download(UTF8ToString(name), UTF8ToString(type), HEAPU8.slice(bytes >>> 0, (bytes >>> 0) + size));
});

EM_JS(void, host_pick_file, (), { Module.host.pickFile(); });

EM_JS(uint8_t*, host_take_font, (int* size), {
    const bytes = Module.host.fontBytes;
    Module.host.fontBytes = null;
    if (!bytes || !bytes.length) { HEAP32[size >>> 2] = 0; return 0; }
    const ptr = _malloc(bytes.length) >>> 0;
    HEAPU8.set(bytes, ptr);
    HEAP32[size >>> 2] = bytes.length;
    return ptr;
});
// clang-format on

namespace sl::app {

namespace {

struct Bridge {
    AppState* state = nullptr;
    std::string last_error;  // for sl_app_last_error()
    std::string announced;   // what the live region says now (kind, text, photo)
    std::string explained;   // what the explanation's live region says now (with its data)
    std::string layout;      // the layout the page has
};

Bridge& bridge() {
    static Bridge b;  // exported C functions have no other way to reach the app
    return b;
}

AppState& state() {
    assert(bridge().state && "attach_bridge() first");
    return *bridge().state;
}

// 0, or 1 with the message kept for sl_app_last_error().
int status_code(const Result<void>& r) {
    if (r) return 0;
    bridge().last_error = r.error();
    return 1;
}

void send(const ModelRequest& r) {
    host_run_model(r.id, r.input, r.input_count, r.spec->name.c_str(), r.dims[0], r.dims[1], r.dims[2], r.dims[3],
                   r.output_name->c_str(), r.outputs, r.features_name ? r.features_name->c_str() : "");
}

// The explanation's data-* for tests: the photo it explains, state, progress, the view, the settings.
std::string explain_data(const AppState& s) {
    const Explanation& e = s.explanation;
    const ShapEstimate* est = e.estimate();
    const nlohmann::json data = {
        {"photo", s.photo.name},
        {"evaluations", est ? est->evaluations : 0},
        {"firstEstimate", first_estimate(s)},
        {"explainerNote", s.model.explainer_note},
        {"budget", s.settings.budget},
        {"batchSize", s.settings.batch_size},
        {"convergence", finite_or_null<nlohmann::json>(est ? est->convergence : INFINITY)},
        {"settled", std::round(e.settled * 1000) / 1000},
        {"output", e.explainer ? output_name(e.explainer->config().shap.link) : ""},
        {"estimator", e.explainer ? estimator_name(e.explainer->config().estimator) : ""},
        {"segments", e.explainer ? e.explainer->segmentation().count : 0},
        {"show", show_name(s)},
        {"opacity", s.view.opacity},
        {"borders", s.view.borders},
        {"background", s.settings.background == BackgroundKind::blur ? "blur" : "mean"},
        {"slowestStepMs", std::round(e.slowest_step_ms * 10) / 10},
        {"seconds", std::round(e.setup_ms + e.elapsed_ms) / 1000},
    };
    return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void download(const std::string& name, const char* type, std::span<const uint8_t> bytes) {
    host_download(name.c_str(), type, bytes.data(), int(bytes.size()));
}

}  // namespace

void attach_bridge(AppState& s) { bridge().state = &s; }

void pump(AppState& s) {
    if (auto r = take_request(s)) {
        send(*r);
        return;
    }
    if (auto r = explain_step(s)) send(*r);
}

void publish_layout(const std::string& json) {
    if (json == bridge().layout) return;
    bridge().layout = json;
    host_layout(json.c_str());
}

void download_png(AppState& s, std::span<const uint8_t> font) {
    auto png = explanation_png(s, font);
    if (!png) {
        s.error = png.error();
        return;
    }
    download(export_stem(s) + ".png", "image/png", *png);
}

void download_json(AppState& s, std::span<const uint8_t> font) {
    auto json = explanation_json(s, font);
    if (!json) {
        s.error = json.error();
        return;
    }
    download(export_stem(s) + ".json", "application/json",
             std::span(reinterpret_cast<const uint8_t*>(json->data()), json->size()));
}

void announce(const AppState& s) {
    const char* explain = explain_kind(s);
    const std::string explain_text = explain_status_text(s);
    const std::string data = explain_data(s);
    std::string explain_key = std::string(explain) + '\n' + explain_text + '\n' + data;
    if (explain_key != bridge().explained) {
        bridge().explained = std::move(explain_key);
        host_explain_status(explain, explain_text.c_str(), data.c_str());
    }

    const char* kind = status_kind(s);
    const std::string text = status_text(s);
    std::string key = std::string(kind) + '\n' + text + '\n' + s.photo.name;
    if (key == bridge().announced) return;
    bridge().announced = std::move(key);
    std::string label;
    double probability = -1;
    if (s.prediction) {
        label = s.model.card->labels[s.prediction->best];
        probability = s.prediction->probabilities[s.prediction->best];
    }
    host_announce(kind, text.c_str(), s.photo.name.c_str(), label.c_str(), probability);
}

void request_file_picker() { host_pick_file(); }

std::vector<uint8_t> take_font_bytes() {
    int size = 0;
    uint8_t* data = host_take_font(&size);
    std::vector<uint8_t> bytes(data, data + size);
    std::free(data);
    return bytes;
}

}  // namespace sl::app

// --- called by the page (web/santa_app.mjs) ------------------------------------------------------
using namespace sl::app;

namespace {
// The state, about to change from outside the frame loop: the loop wakes to show it (main_loop.h).
AppState& changing() {
    sl::wake_main_loop();
    return state();
}
}  // namespace

extern "C" {

// The reason for the last call that returned 1.
EMSCRIPTEN_KEEPALIVE const char* sl_app_last_error() { return bridge().last_error.c_str(); }

// The model card's JSON text. 0: parsed; 1: invalid (the UI shows the model as failed).
EMSCRIPTEN_KEEPALIVE int sl_app_model_card(const char* json) { return status_code(set_model_card(changing(), json)); }

// The ONNX file the card names for `backend` ("webgpu", "wasm"), relative to the card ("" before
// the card).
EMSCRIPTEN_KEEPALIVE const char* sl_app_model_file(const char* backend) {
    const auto& card = state().model.card;
    return card ? card->model_file_for(backend).c_str() : "";
}

// Download progress in bytes; total 0 when the server did not say.
EMSCRIPTEN_KEEPALIVE void sl_app_model_progress(double loaded, double total) {
    set_model_progress(changing(), loaded, total);
}

// Downloaded; ONNX Runtime is building the session.
EMSCRIPTEN_KEEPALIVE void sl_app_model_starting() { set_model_starting(changing()); }

EMSCRIPTEN_KEEPALIVE void sl_app_model_ready(const char* backend, int threads, double load_ms) {
    set_model_ready(changing(), backend, threads, load_ms);  // a waiting photo goes at the next pump()
}

EMSCRIPTEN_KEEPALIVE void sl_app_model_failed(const char* message) { set_model_failed(changing(), message); }

// A decoded photo: width x height RGB8 pixels, rows top to bottom, EXIF orientation applied (the
// core's decoder in the page's decode worker). 0: shown and queued for the model; 1: refused
// (too large), the UI says why.
EMSCRIPTEN_KEEPALIVE int sl_app_photo(const uint8_t* rgb, int width, int height, const char* name) {
    // The model starts after the photo's frame is drawn (pump()): the two would compete.
    return status_code(accept_photo(changing(), rgb, width, height, name ? name : ""));
}

// The page could not decode a file (not an image, corrupt, empty): `message` says so. The photo
// and prediction on screen stay.
EMSCRIPTEN_KEEPALIVE void sl_app_photo_failed(const char* message) { reject_photo(changing(), message); }

// The model's outputs for request `request_id`: `count` floats, how long the run took, and the
// spatial features it asked for (`feature_count` floats; 0 when it asked for none).
EMSCRIPTEN_KEEPALIVE void sl_app_scores(int request_id, const float* scores, int count, double inference_ms,
                                        const float* features, int feature_count) {
    accept_scores(changing(), request_id, std::span<const float>(scores, size_t(count)), inference_ms,
                  std::span<const float>(features, size_t(feature_count)));
}

// The amortized explainer's file, as the card names it. 0: loaded; 1: refused (the app then
// explains from equal shares; sl_app_last_error() says why).
EMSCRIPTEN_KEEPALIVE int sl_app_explainer(const uint8_t* bytes, int size) {
    return status_code(set_explainer(changing(), std::span<const uint8_t>(bytes, size_t(size))));
}

// The explainer file could not be fetched: `message` says why.
EMSCRIPTEN_KEEPALIVE void sl_app_explainer_failed(const char* message) { explainer_failed(changing(), message); }

EMSCRIPTEN_KEEPALIVE void sl_app_run_failed(int request_id, const char* message) {
    run_failed(changing(), request_id, message);
}

// A file is being dragged over the page (1) or left (0).
EMSCRIPTEN_KEEPALIVE void sl_app_drag(int hovering) { changing().drag_hover = hovering != 0; }

// A setting by name, as the UI's controls change it (app_explain.h: apply_setting), for the
// page's URL parameters and test hook. 0: applied; 1: refused, sl_app_last_error() says why.
EMSCRIPTEN_KEEPALIVE int sl_app_set(const char* key, const char* value) {
    return status_code(apply_setting(changing(), key, value));
}

// Stops or resumes the explanation, as the Cancel and Resume buttons do.
EMSCRIPTEN_KEEPALIVE void sl_app_cancel_explanation() { cancel_explanation(changing()); }
EMSCRIPTEN_KEEPALIVE void sl_app_resume_explanation() { resume_explanation(changing()); }

// Input reached the page (pointer, keys, wheel, touch, focus, size): the loop wakes to take it.
EMSCRIPTEN_KEEPALIVE void sl_app_wake() { sl::wake_main_loop(); }

}  // extern "C"

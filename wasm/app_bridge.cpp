// wasm/app_bridge.cpp: what the page tells the app and what the app asks of the page
// (see app_bridge.h). The exports only translate: C strings and pointers in, app_pipeline.h
// calls, and a model request out to JS when one is ready.
#include "wasm/app_bridge.h"

#include <emscripten/emscripten.h>

#include <cassert>
#include <cstdlib>
#include <string>

#include "wasm/app_pipeline.h"

// --- calls into the page ---------------------------------------------------------------------

// `input` is copied at once: the heap view goes stale when wasm memory grows.
EM_JS(void, host_run_model, (int request_id, const float* input, int count, const char* input_name,
                             int d0, int d1, int d2, int d3, const char* output_name, int outputs), {
    Module.host.runModel({
        id: request_id,
        input: HEAPF32.slice(input >>> 2, (input >>> 2) + count),
        inputName: UTF8ToString(input_name),
        dims: [d0, d1, d2, d3],
        outputName: UTF8ToString(output_name),
        outputs: outputs
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

namespace sl::app {

namespace {

struct Bridge {
    AppState* state = nullptr;
    std::string last_error;  // for sl_app_last_error()
    std::string announced;   // what the live region says now (kind, text, photo)
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

void send_request() {
    if (auto r = take_request(state()))
        host_run_model(r->id, r->input, r->input_count, r->spec->name.c_str(), r->dims[0], r->dims[1],
                       r->dims[2], r->dims[3], r->output_name->c_str(), r->outputs);
}

}  // namespace

void attach_bridge(AppState& s) { bridge().state = &s; }

void announce(const AppState& s) {
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

extern "C" {

// The reason for the last call that returned 1.
EMSCRIPTEN_KEEPALIVE const char* sl_app_last_error() { return bridge().last_error.c_str(); }

// The model card's JSON text. 0: parsed; 1: invalid (the UI shows the model as failed).
EMSCRIPTEN_KEEPALIVE int sl_app_model_card(const char* json) {
    return status_code(set_model_card(state(), json));
}

// The ONNX file named by the card, relative to the card ("" before the card).
EMSCRIPTEN_KEEPALIVE const char* sl_app_model_file() {
    const auto& card = state().model.card;
    return card ? card->model_file.c_str() : "";
}

// Download progress in bytes; total 0 when the server did not say.
EMSCRIPTEN_KEEPALIVE void sl_app_model_progress(double loaded, double total) {
    set_model_progress(state(), loaded, total);
}

// Downloaded; ONNX Runtime is building the session.
EMSCRIPTEN_KEEPALIVE void sl_app_model_starting() { set_model_starting(state()); }

EMSCRIPTEN_KEEPALIVE void sl_app_model_ready(const char* backend, int threads, double load_ms) {
    set_model_ready(state(), backend, threads, load_ms);
    send_request();  // a photo may be waiting
}

EMSCRIPTEN_KEEPALIVE void sl_app_model_failed(const char* message) { set_model_failed(state(), message); }

// A decoded photo: width x height RGBA8 pixels, rows top to bottom, EXIF orientation applied.
// 0: shown and queued for the model; 1: refused (too large), the UI says why.
EMSCRIPTEN_KEEPALIVE int sl_app_photo(const uint8_t* rgba, int width, int height, const char* name) {
    const int code = status_code(accept_photo(state(), rgba, width, height, name ? name : ""));
    send_request();
    return code;
}

// The page could not decode a file (not an image, corrupt, empty): `message` says so. The photo
// and prediction on screen stay.
EMSCRIPTEN_KEEPALIVE void sl_app_photo_failed(const char* message) { reject_photo(state(), message); }

// The model's outputs for request `request_id`: `count` floats, and how long the run took.
EMSCRIPTEN_KEEPALIVE void sl_app_scores(int request_id, const float* scores, int count, double inference_ms) {
    accept_scores(state(), request_id, std::span<const float>(scores, size_t(count)), inference_ms);
}

EMSCRIPTEN_KEEPALIVE void sl_app_run_failed(int request_id, const char* message) {
    run_failed(state(), request_id, message);
}

// A file is being dragged over the page (1) or left (0).
EMSCRIPTEN_KEEPALIVE void sl_app_drag(int hovering) { state().drag_hover = hovering != 0; }

}  // extern "C"

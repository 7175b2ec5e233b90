// wasm/app/app_bridge.h: the app's boundary with its page (web/santa_app.mjs).
//
// JS -> C++: exported functions `_sl_app_*` (listed in app_bridge.cpp) report what the page did:
//   the model card and model download, a decoded photo as RGBA pixels, model scores, errors.
//   Those that can fail return 0 or 1 and leave the reason in sl_app_last_error(); one JS
//   helper (santa_app.mjs `check`) turns that into a thrown Error.
// C++ -> JS: Module.host.runModel(request), .announce(status), .explainStatus(status),
//   .layout(json), .download(name, type, bytes), .pickFile() and .fontBytes, provided by
//   web/main.mjs.
// What the reports do to the state is app_pipeline.h and app_explain.h. Only this file pair
// knows that JS exists.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wasm/app/app_state.h"

namespace sl::app {

// Points the exported functions at `state` (once, during setup; the state outlives the page).
void attach_bridge(AppState& state);

// Sends what the model should run next, if anything: the prediction first, else one step of the
// explanation (app_explain.h: explain_step). At most once per frame.
void pump(AppState& state);

// Mirrors status_text(state) and explain_status_text(state) into the page's ARIA live regions
// (with data-* for tests) when they changed.
void announce(const AppState& state);

// Tells the page where the canvas shows what (a JSON object: name -> [x, y, w, h] in CSS
// pixels), when it changed; tests click by it.
void publish_layout(const std::string& json);

// The explanation's figure (PNG) or values (JSON) as a download. A failure goes to state.error.
void download_png(AppState& state, std::span<const uint8_t> font);
void download_json(AppState& state, std::span<const uint8_t> font);

// Opens the page's file picker.
void request_file_picker();

// The UI font the page fetched before starting the app (Inter); empty if it could not.
std::vector<uint8_t> take_font_bytes();

}  // namespace sl::app

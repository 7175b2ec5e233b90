// wasm/app_bridge.h: the app's boundary with its page (web/santa_app.mjs).
//
// JS -> C++: exported functions `_sl_app_*` (listed in app_bridge.cpp) report what the page did:
//   the model card and model download, a decoded photo as RGBA pixels, model scores, errors.
//   Those that can fail return 0 or 1 and leave the reason in sl_app_last_error(); one JS
//   helper (santa_app.mjs `check`) turns that into a thrown Error.
// C++ -> JS: Module.host.runModel(request), .announce(status), .pickFile() and .fontBytes,
//   provided by web/main.mjs.
// What the reports do to the state is app_pipeline.h. Only this file pair knows that JS exists.
#pragma once
#include <cstdint>
#include <vector>

#include "wasm/app_state.h"

namespace sl::app {

// Points the exported functions at `state` (once, during setup; the state outlives the page).
void attach_bridge(AppState& state);

// Mirrors status_text(state) into the page's ARIA live region when it changed.
void announce(const AppState& state);

// Opens the page's file picker.
void request_file_picker();

// The UI font the page fetched before starting the app (Inter); empty if it could not.
std::vector<uint8_t> take_font_bytes();

}  // namespace sl::app

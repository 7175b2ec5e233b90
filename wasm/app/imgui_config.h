// wasm/app/imgui_config.h: Dear ImGui settings for the browser app (IMGUI_USER_CONFIG, set by
// wasm/app/CMakeLists.txt for every ImGui file and every app file, so all agree on them).
//
// Pairs with the Debian ImGui 1.86 sources that tools/build_web_deps.sh copies to .cache/deps/imgui;
// those stay untouched (imconfig.h, option B: a user config instead of edits).
#pragma once

// WebGL2 is OpenGL ES 3.0. Without this the OpenGL3 backend sees __EMSCRIPTEN__ and picks
// ES2/WebGL1 ("#version 100" shaders, no VAOs).
#define IMGUI_IMPL_OPENGL_ES3

// The app has no file system (-sFILESYSTEM=0): fonts arrive as bytes, settings are not saved.
#define IMGUI_DISABLE_FILE_FUNCTIONS

// Keep us honest about API drift before the next ImGui update.
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS

// The app's UI needs none of these: a smaller module.
#define IMGUI_DISABLE_DEMO_WINDOWS
#define IMGUI_DISABLE_METRICS_WINDOW

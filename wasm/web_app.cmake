# wasm/web_app.cmake: the browser app (host web), included by wasm/CMakeLists.txt.
#   santa_lens_app   app_*.cpp + ui_*.cpp + gl_*.cpp + Dear ImGui + SDL2 -> santa_lens_app.{js,wasm},
#                    an ES module (createSantaLensApp) that web/santa_app.mjs loads
#   santa_lens_site  (part of `all`) assembles the static site in build/site: web/, the app,
#                    ONNX Runtime Web's wasm files, the Inter font, the model card and a link to
#                    the model (assets/santa_resnet50.onnx, built by `./tools/santa-lens model build`)
# SDL2 and ImGui come from Debian's sources, built by tools/build_web_deps.sh into .cache/deps.

set(SANTA_LENS_WEB_DEPS ${PROJECT_SOURCE_DIR}/.cache/deps CACHE PATH
    "santa-lens: SDL2 and ImGui built for Emscripten (tools/build_web_deps.sh)")
set(SANTA_LENS_MODEL_CARD ${PROJECT_SOURCE_DIR}/assets/santa_resnet50.json CACHE FILEPATH
    "santa-lens: model card the site serves (its ONNX file sits beside it)")
set(SANTA_LENS_UI_FONT /usr/share/fonts/opentype/inter/Inter-Regular.otf CACHE FILEPATH
    "santa-lens: UI font (Debian fonts-inter)")
set(SANTA_LENS_SITE_DIR ${PROJECT_BINARY_DIR}/../site CACHE PATH "santa-lens: where the static site is assembled")

foreach(need sdl2/lib/libSDL2.a imgui/imgui.cpp)
  if(NOT EXISTS ${SANTA_LENS_WEB_DEPS}/${need})
    message(FATAL_ERROR "${SANTA_LENS_WEB_DEPS}/${need} is missing: run tools/build_web_deps.sh")
  endif()
endforeach()
set(ort_dist ${PROJECT_SOURCE_DIR}/node_modules/onnxruntime-web/dist)
# Two ONNX Runtime builds; the page loads one (web/ort_session.mjs): WASM, or WebGPU (asyncify).
set(ort_files ${ort_dist}/ort.wasm.min.mjs ${ort_dist}/ort-wasm-simd-threaded.mjs
              ${ort_dist}/ort-wasm-simd-threaded.wasm
              ${ort_dist}/ort.webgpu.min.mjs ${ort_dist}/ort-wasm-simd-threaded.asyncify.mjs
              ${ort_dist}/ort-wasm-simd-threaded.asyncify.wasm)
foreach(f ${ort_files} ${SANTA_LENS_UI_FONT} ${SANTA_LENS_MODEL_CARD})
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "${f} is missing: run tools/setup.sh")
  endif()
endforeach()

# --- SDL2 and Dear ImGui ------------------------------------------------------------------------
# NO_CMAKE_FIND_ROOT_PATH: Emscripten's toolchain otherwise only looks inside its sysroot.
find_package(SDL2 CONFIG REQUIRED PATHS ${SANTA_LENS_WEB_DEPS}/sdl2 NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)

set(imgui_dir ${SANTA_LENS_WEB_DEPS}/imgui)
add_library(santa_lens_imgui STATIC
  ${imgui_dir}/imgui.cpp ${imgui_dir}/imgui_draw.cpp ${imgui_dir}/imgui_tables.cpp
  ${imgui_dir}/imgui_widgets.cpp
  ${imgui_dir}/backends/imgui_impl_sdl.cpp ${imgui_dir}/backends/imgui_impl_opengl3.cpp)
target_include_directories(santa_lens_imgui SYSTEM PUBLIC ${imgui_dir})
# Every ImGui file and every app file must see the same config (wasm/imgui_config.h).
target_compile_definitions(santa_lens_imgui PUBLIC
  IMGUI_USER_CONFIG="${CMAKE_CURRENT_LIST_DIR}/imgui_config.h")
target_link_libraries(santa_lens_imgui PUBLIC SDL2::SDL2-static)
set_source_files_properties(${imgui_dir}/imgui.cpp PROPERTIES OBJECT_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/imgui_config.h)

# --- the app ------------------------------------------------------------------------------------
file(GLOB SANTA_LENS_APP_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/app_*.cpp
     ${CMAKE_CURRENT_LIST_DIR}/ui_*.cpp ${CMAKE_CURRENT_LIST_DIR}/gl_*.cpp)
add_executable(santa_lens_app ${SANTA_LENS_APP_SOURCES})
target_link_libraries(santa_lens_app PRIVATE santa_lens_core santa_lens_imgui)

# The footer names the build (whisper.wasm's @GIT_SHA1@ habit); refreshed when CMake configures.
execute_process(COMMAND git rev-parse --short HEAD WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                OUTPUT_VARIABLE git_sha OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT git_sha)
  set(git_sha "unknown")
endif()
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/ui_app.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  "SANTA_LENS_BUILD_STAMP=\"${PROJECT_VERSION}+${git_sha}\"")

target_link_options(santa_lens_app PRIVATE
  -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  # An ES module: web/santa_app.mjs does `import createSantaLensApp from './santa_lens_app.js'`.
  # .js, not .html: Emscripten 3.1.6's HTML minifier crashes at -O2, and the page is ours anyway.
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createSantaLensApp -sENVIRONMENT=web
  -sEXPORTED_FUNCTIONS=_main,_malloc,_free
  -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8
  -sFILESYSTEM=0 -sINITIAL_MEMORY=64MB)
set_target_properties(santa_lens_app PROPERTIES SUFFIX ".js")

# --- the static site: build/site -----------------------------------------------------------------
file(GLOB web_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/*.html ${PROJECT_SOURCE_DIR}/web/*.mjs
     ${PROJECT_SOURCE_DIR}/web/*.css ${PROJECT_SOURCE_DIR}/web/*.svg)
file(READ ${SANTA_LENS_MODEL_CARD} card_json)
string(JSON model_file GET "${card_json}" model)
get_filename_component(card_dir ${SANTA_LENS_MODEL_CARD} DIRECTORY)
get_filename_component(card_name ${SANTA_LENS_MODEL_CARD} NAME)
find_program(SANTA_LENS_NODE node REQUIRED)
set(site ${SANTA_LENS_SITE_DIR})
set(site_stamp ${PROJECT_BINARY_DIR}/site.stamp)
add_custom_command(OUTPUT ${site_stamp}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${site}/ort ${site}/fonts ${site}/models
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${web_files} ${site}/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different $<TARGET_FILE:santa_lens_app>
          $<TARGET_FILE_DIR:santa_lens_app>/santa_lens_app.wasm ${site}/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${ort_files} ${site}/ort/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${SANTA_LENS_UI_FONT} ${site}/fonts/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${SANTA_LENS_MODEL_CARD} ${site}/models/
  # A link, not a 95 MB copy: it works as soon as the model is built, dangling (404) until then.
  COMMAND ${CMAKE_COMMAND} -E create_symlink ${card_dir}/${model_file} ${site}/models/${model_file}
  # Last: the service worker's file list and version stamp (web/sw.js) cover everything above.
  COMMAND ${SANTA_LENS_NODE} ${PROJECT_SOURCE_DIR}/tools/site_manifest.mjs ${site} ${PROJECT_SOURCE_DIR}/web/sw.js
  COMMAND ${CMAKE_COMMAND} -E touch ${site_stamp}
  DEPENDS ${web_files} santa_lens_app ${ort_files} ${SANTA_LENS_UI_FONT} ${SANTA_LENS_MODEL_CARD}
          ${PROJECT_SOURCE_DIR}/web/sw.js ${PROJECT_SOURCE_DIR}/tools/site_manifest.mjs
  COMMENT "santa-lens: assembling the static site in ${site}"
  VERBATIM)
add_custom_target(santa_lens_site ALL DEPENDS ${site_stamp})

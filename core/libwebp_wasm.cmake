# core/libwebp_wasm.cmake: libwebp (codec, demuxer, sharpyuv) for the WebAssembly builds, compiled
# from Debian's source tree (unpacked by tools/setup.sh; natively the core links libwebp-dev).
# Compiled here rather than through libwebp's own CMake project, whose configure checks are each
# an emcc compile and link. Without threads (WEBP_USE_THREAD unset: the core's WebAssembly builds
# have none) and without SSE or NEON code (dsp/dsp.h enables those only where the compiler
# targets them, which emcc does not here). The encoder makes the tests' WebP photos; the
# linker leaves it out of the app and the CLI.
#
# Defines santa_lens_webp (static; `#include <webp/decode.h>` and `<webp/demux.h>`).

set(SANTA_LENS_WEBP_SOURCE ${PROJECT_SOURCE_DIR}/.cache/src/libwebp-1.2.4 CACHE PATH
    "santa-lens: libwebp's source tree (Debian's libwebp source package, unpacked by tools/setup.sh)")
if(NOT EXISTS ${SANTA_LENS_WEBP_SOURCE}/src/webp/decode.h)
  message(FATAL_ERROR "${SANTA_LENS_WEBP_SOURCE} is not libwebp's source tree: run tools/setup.sh")
endif()

set(webp ${SANTA_LENS_WEBP_SOURCE}/src)
file(GLOB webp_sources CONFIGURE_DEPENDS
  ${webp}/dec/*.c ${webp}/enc/*.c ${webp}/demux/*.c ${webp}/dsp/*.c ${webp}/utils/*.c
  ${SANTA_LENS_WEBP_SOURCE}/sharpyuv/*.c)

add_library(santa_lens_webp STATIC ${webp_sources})
target_include_directories(santa_lens_webp SYSTEM PUBLIC ${webp})
target_include_directories(santa_lens_webp PRIVATE ${SANTA_LENS_WEBP_SOURCE})
# Third-party code: its warnings are libwebp's to fix, not ours. Not autovectorised for WASM SIMD
# (-mno-simd128), as libwebp's own build has it: that made the photo decoder's module a third larger.
target_compile_options(santa_lens_webp PRIVATE -w -mno-simd128)

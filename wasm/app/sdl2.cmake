# wasm/app/sdl2.cmake: SDL2 for the browser app, compiled from Debian's source tree the way
# Emscripten's own port (-sUSE_SDL=2) compiles it: SDL's ready-made Emscripten configuration
# (include/SDL_config_emscripten.h, which include/SDL_config.h picks for __EMSCRIPTEN__) and the
# generic sources plus the Emscripten and dummy backends. SDL's own CMake project would run some
# 300 configure checks, each an emcc compile and link (minutes), to find what that header states.
# The ports download from GitHub, which we never do; tools/setup.sh unpacks Debian's source.
#
# Defines santa_lens_sdl2 (static; its include folder public, so `#include <SDL.h>` works).

set(SANTA_LENS_SDL2_SOURCE ${PROJECT_SOURCE_DIR}/.cache/src/SDL2-2.26.5 CACHE PATH
    "santa-lens: SDL2's source tree (Debian's libsdl2 source package, unpacked by tools/setup.sh)")
if(NOT EXISTS ${SANTA_LENS_SDL2_SOURCE}/include/SDL_config_emscripten.h)
  message(FATAL_ERROR "${SANTA_LENS_SDL2_SOURCE} is not SDL2's source tree: run tools/setup.sh")
endif()

set(sdl ${SANTA_LENS_SDL2_SOURCE}/src)
# Every subsystem's generic files; the backends that SDL_config_emscripten.h enables (audio:
# emscripten, disk and dummy; loadso: dlopen; threads: generic, i.e. none) and the dummy ones
# that stand in where it disables a subsystem. Each render backend guards itself with the config.
file(GLOB sdl2_sources CONFIGURE_DEPENDS
  ${sdl}/*.c
  ${sdl}/atomic/*.c ${sdl}/cpuinfo/*.c ${sdl}/dynapi/*.c ${sdl}/events/*.c ${sdl}/file/*.c
  ${sdl}/hidapi/*.c ${sdl}/libm/*.c ${sdl}/stdlib/*.c
  ${sdl}/audio/*.c ${sdl}/audio/emscripten/*.c ${sdl}/audio/disk/*.c ${sdl}/audio/dummy/*.c
  ${sdl}/filesystem/emscripten/*.c
  ${sdl}/haptic/*.c ${sdl}/haptic/dummy/*.c
  ${sdl}/joystick/*.c ${sdl}/joystick/emscripten/*.c
  ${sdl}/loadso/dlopen/*.c
  ${sdl}/locale/*.c ${sdl}/locale/emscripten/*.c
  ${sdl}/misc/*.c ${sdl}/misc/emscripten/*.c
  ${sdl}/power/*.c ${sdl}/power/emscripten/*.c
  ${sdl}/render/*.c ${sdl}/render/*/*.c
  ${sdl}/sensor/*.c ${sdl}/sensor/dummy/*.c
  ${sdl}/thread/*.c ${sdl}/thread/generic/*.c
  ${sdl}/timer/*.c ${sdl}/timer/unix/*.c
  ${sdl}/video/*.c ${sdl}/video/dummy/*.c ${sdl}/video/emscripten/*.c ${sdl}/video/yuv2rgb/*.c)

add_library(santa_lens_sdl2 STATIC ${sdl2_sources})
target_include_directories(santa_lens_sdl2 SYSTEM PUBLIC ${SANTA_LENS_SDL2_SOURCE}/include)
# Third-party code: its warnings are SDL's to fix, not ours. The app makes no sound: SDL_Init
# then never starts the audio subsystem (nor asks the browser for an AudioContext).
target_compile_options(santa_lens_sdl2 PRIVATE -w)
target_compile_definitions(santa_lens_sdl2 PRIVATE SDL_AUDIO_DISABLED=1)

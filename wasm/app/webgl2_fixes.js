// wasm/app/webgl2_fixes.js: an Emscripten JS library (--js-library, wasm/app/CMakeLists.txt) that mends
// Emscripten 3.1.6's WebGL 2 bindings where they break the GL ES behaviour the C++ code expects.
//
// glBufferSubData with size 0: 3.1.6 passes the size on as WebGL 2's `length`, where 0 means "to
// the end of the source", so uploading nothing uploads the whole wasm heap and fails with
// "WebGL: INVALID_VALUE: bufferSubData: buffer overflow" (emscripten-core/emscripten#16799, fixed
// after 3.1.8). Dear ImGui 1.86's OpenGL3 backend uploads every draw list this way, also one
// without vertices. In GL ES a size of 0 writes nothing, so nothing is called.
mergeInto(LibraryManager.library, {
  glBufferSubData__sig: 'viiii',
  glBufferSubData: function (target, offset, size, data) {
    if (size) GLctx.bufferSubData(target, offset, HEAPU8, data, size);
  },
});

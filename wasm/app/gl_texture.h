// wasm/app/gl_texture.h: photos as WebGL2 textures that ImGui can draw (ImGui::Image, AddImage*).
//
//   unsigned tex = sl::gl::upload_texture(image, tex);  // RGB8, mipmapped; reuses `tex` if given
//   ImGui::GetWindowDrawList()->AddImage((ImTextureID)(intptr_t)tex, p0, p1);
//   sl::gl::delete_texture(tex);
//
// Needs a current GL context (SDL_GL_CreateContext in app_main.cpp). Mipmaps with trilinear
// filtering keep a large photo drawn small free of shimmering and jaggies.
#pragma once
#include "core/image/image.h"

namespace sl::gl {

// Uploads `image` (width x height RGB8) into texture `texture` (0: a new one) and returns it.
unsigned upload_texture(const Image& image, unsigned texture = 0);

// Frees a texture from upload_texture(); 0 is ignored.
void delete_texture(unsigned texture);

// The largest texture side the GL context allows (at least 2048 in WebGL2).
int max_texture_size();

}  // namespace sl::gl

// wasm/app/gl_heatmap.cpp: heatmaps on the GPU (see gl_heatmap.h).
#include "wasm/app/gl_heatmap.h"

#include <GLES3/gl3.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/explain/colormap.h"
#include "core/explain/heatmap.h"
#include "santa_lens_shaders.h"  // generated from shaders/ by wasm/app/CMakeLists.txt

namespace sl::gl {

namespace {

Result<unsigned> compile(GLenum kind, const char* source, const char* name) {
    const GLuint shader = glCreateShader(kind);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok) return unsigned(shader);
    char log[1024] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    glDeleteShader(shader);
    return fail(std::string(name) + " does not compile: " + log);
}

// A texture read with texelFetch only: nearest, no mipmaps (an integer or float texture with
// any other filter is incomplete in WebGL2 and reads as zero).
unsigned new_texture() {
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return tex;
}

}  // namespace

Result<void> HeatmapLayer::init() {
    auto vert = compile(GL_VERTEX_SHADER, shaders::heatmap_vert, "wasm/app/shaders/heatmap.vert");
    if (!vert) return fail(vert.error());
    auto frag = compile(GL_FRAGMENT_SHADER, shaders::heatmap_frag, "wasm/app/shaders/heatmap.frag");
    if (!frag) {
        glDeleteShader(*vert);
        return fail(frag.error());
    }
    const GLuint program = glCreateProgram();
    glAttachShader(program, *vert);
    glAttachShader(program, *frag);
    glLinkProgram(program);
    glDeleteShader(*vert);
    glDeleteShader(*frag);
    GLint ok = 0;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024] = {};
        glGetProgramInfoLog(program, sizeof log, nullptr, log);
        glDeleteProgram(program);
        return fail(std::string("the heatmap shaders do not link: ") + log);
    }
    program_ = program;
    const auto at = [&](const char* name) { return glGetUniformLocation(program, name); };
    u_ = {at("u_rect"),    at("u_photo"),         at("u_labels"),     at("u_values"),          at("u_colormap"),
          at("u_class"),   at("u_range"),         at("u_grey_range"), at("u_underlay_alpha"),  at("u_opacity"),
          at("u_borders"), at("u_border_colour"), at("u_classes"),    at("u_unsettled_alpha"), at("u_hatch_period")};
    glGenVertexArrays(1, &vao_);  // the rectangle comes from gl_VertexID: no attributes

    const ColormapLut& lut = red_transparent_blue();
    colormap_ = new_texture();
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kColormapSize, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, lut.front().data());
    // Placeholders of the formats sync() uploads (a software GL compiles per format): one texel.
    const uint8_t rgb[3] = {0, 0, 0};
    const int32_t label = 0;
    const float value = 0;
    photo_ = new_texture();
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, 1, 1, 0, GL_RGB, GL_UNSIGNED_BYTE, rgb);
    labels_ = new_texture();
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32I, 1, 1, 0, GL_RED_INTEGER, GL_INT, &label);
    values_ = new_texture();
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, 1, 1, 0, GL_RED, GL_FLOAT, &value);
    glBindTexture(GL_TEXTURE_2D, 0);
    return {};
}

void HeatmapLayer::sync(const app::Explanation& e) {
    if (program_ == 0) return;
    const ShapEstimate* est = e.estimate();
    if (e.generation != generation_) {
        generation_ = e.generation;
        has_values_ = false;
        revision_ = -1;
        if (e.explainer) {
            const Image& photo = e.explainer->display();
            const Segmentation& seg = e.explainer->segmentation();
            grey_range_ = grey_range(photo);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);  // RGB rows are not padded
            glBindTexture(GL_TEXTURE_2D, photo_);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, photo.width, photo.height, 0, GL_RGB, GL_UNSIGNED_BYTE,
                         photo.rgb.data());
            glBindTexture(GL_TEXTURE_2D, labels_);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_R32I, seg.width, seg.height, 0, GL_RED_INTEGER, GL_INT,
                         seg.labels.data());
            glBindTexture(GL_TEXTURE_2D, 0);
        }
    }
    if (est && e.revision != revision_) {
        revision_ = e.revision;
        // classes x players values, then classes x players unsettled flags (heatmap.frag).
        std::vector<float> values(est->phi.begin(), est->phi.end());
        values.insert(values.end(), e.unsettled.begin(), e.unsettled.end());
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glBindTexture(GL_TEXTURE_2D, values_);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, est->players, 2 * est->outputs, 0, GL_RED, GL_FLOAT, values.data());
        glBindTexture(GL_TEXTURE_2D, 0);
        classes_ = est->outputs;
        has_values_ = true;
    }
}

void HeatmapLayer::draw(ImDrawList* dl, const HeatmapPanel& panel) {
    if (!ready() || panel.class_index < 0 || panel.class_index >= classes_) return;
    queued_.push_back({this, panel});
    dl->AddCallback(&HeatmapLayer::run, &queued_.back());
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

void HeatmapLayer::warm_up(ImDrawList* dl) {
    if (program_ == 0 || warmed_up_) return;
    warmed_up_ = true;
    queued_.push_back({this, HeatmapPanel{.p0 = ImVec2(0, 0), .p1 = ImVec2(1, 1)}});
    dl->AddCallback(&HeatmapLayer::run, &queued_.back());
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

void HeatmapLayer::run(const ImDrawList*, const ImDrawCmd* cmd) {
    const Queued& q = *static_cast<const Queued*>(cmd->UserCallbackData);
    q.layer->render(q.panel, cmd->ClipRect);
}

void HeatmapLayer::render(const HeatmapPanel& p, const ImVec4& clip) const {
    const ImDrawData* dd = ImGui::GetDrawData();
    const ImVec2 o = dd->DisplayPos, size = dd->DisplaySize, scale = dd->FramebufferScale;
    const float fb_height = size.y * scale.y;
    // Clipped like the ImGui items around it (the renderer does this for its own commands).
    const float cx0 = (clip.x - o.x) * scale.x, cy0 = (clip.y - o.y) * scale.y;
    const float cx1 = (clip.z - o.x) * scale.x, cy1 = (clip.w - o.y) * scale.y;
    if (cx1 <= cx0 || cy1 <= cy0) return;
    glScissor(int(cx0), int(fb_height - cy1), int(cx1 - cx0), int(cy1 - cy0));

    // The rectangle in clip space: heatmap.vert puts u_rect.xy at the image's bottom-left.
    const auto cx = [&](float x) { return (x - o.x) / size.x * 2 - 1; };
    const auto cy = [&](float y) { return 1 - (y - o.y) / size.y * 2; };
    glUseProgram(program_);
    glBindVertexArray(vao_);
    glUniform4f(u_.rect, cx(p.p0.x), cy(p.p1.y), cx(p.p1.x), cy(p.p0.y));
    const unsigned textures[4] = {photo_, labels_, values_, colormap_};
    const int samplers[4] = {u_.photo, u_.labels, u_.values, u_.colormap};
    for (int i = 0; i < 4; ++i) {
        glActiveTexture(GL_TEXTURE1 + i);
        glBindTexture(GL_TEXTURE_2D, textures[i]);
        glUniform1i(samplers[i], 1 + i);
    }
    const OverlayStyle style;  // core/explain/heatmap.h's defaults: the exported figure's look
    glUniform1i(u_.class_index, p.class_index);
    glUniform1i(u_.classes, classes_);
    glUniform1f(u_.unsettled_alpha, style.unsettled_alpha);
    glUniform1f(u_.hatch_period, float(std::max(2, style.hatch_period)));
    glUniform1f(u_.range, p.range);
    glUniform2f(u_.grey_range, grey_range_[0], grey_range_[1]);
    glUniform1f(u_.underlay_alpha, style.underlay_alpha);
    glUniform1f(u_.opacity, p.opacity);
    glUniform1i(u_.borders, p.borders ? 1 : 0);
    glUniform3f(u_.border_colour, style.border_colour[0] / 255.f, style.border_colour[1] / 255.f,
                style.border_colour[2] / 255.f);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    // ImGui binds its textures on unit 0 without selecting it again.
    glActiveTexture(GL_TEXTURE0);
}

void HeatmapLayer::destroy() {
    const GLuint textures[4] = {photo_, labels_, values_, colormap_};
    glDeleteTextures(4, textures);
    if (vao_) glDeleteVertexArrays(1, &vao_);
    if (program_) glDeleteProgram(program_);
    *this = HeatmapLayer{};
}

}  // namespace sl::gl

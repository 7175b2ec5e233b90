#version 300 es
// wasm/app/shaders/heatmap.frag: one heatmap panel on the GPU, what core/explain/heatmap.cpp's render_overlay
// draws on the CPU (shap.image_plot's look): the same formula and colour-map table, pixel for
// pixel when drawn at the photo's size (scaled, the photo is sampled nearest, where the CPU
// resizes it first). Pairs with heatmap.vert.
//
// From the bottom up: white; the photo in grey (0.2989 R + 0.587 G + 0.114 B, stretched by
// u_grey_range) at u_underlay_alpha (shap: 0.15); then the colour-map entry of the pixel's
// superpixel value at the entry's alpha times u_opacity; superpixel borders on top if asked.
// Textures (all read with texelFetch, so no filtering state matters):
//   u_photo     RGBA8 or RGB8, the photo at display size
//   u_labels    R32I, the superpixel label of each pixel (any size: looked up nearest)
//   u_values    R32F, width = superpixels, height = 2 x classes: phi[class][superpixel], then
//               per class 1 where the value's sign is not settled yet (hatched, as render_overlay)
//   u_colormap  RGBA8, 256 x 1: core/explain/colormap.h's red_transparent_blue table, uploaded as is
// Switching class, range or opacity is a uniform change: nothing is recomputed.
precision highp float;
precision highp int;
precision highp isampler2D;

uniform sampler2D u_photo;
uniform isampler2D u_labels;
uniform sampler2D u_values;
uniform sampler2D u_colormap;
uniform int u_class;              // row of u_values to show
uniform int u_classes;            // rows of values; the unsettled flags follow them
uniform float u_range;            // the map spans [-u_range, u_range] (colormap.h: symmetric_range)
uniform vec2 u_grey_range;        // darkest and brightest grey of the photo (heatmap.h: grey_range), 0..255
uniform float u_underlay_alpha;   // 0.15 as shap.image_plot
uniform float u_opacity;          // 0..1, multiplies the colour map's alpha
uniform bool u_borders;           // outline the superpixels
uniform vec3 u_border_colour;     // 0..1
uniform float u_unsettled_alpha;  // the colour's alpha kept in the hatch's faded stripes
uniform float u_hatch_period;     // pixels

in vec2 v_uv;
out vec4 o_colour;

// The label under uv, nearest: texel floor(uv * size), as render_overlay's (x + 0.5) * w / W.
int label_at(vec2 uv) {
    ivec2 size = textureSize(u_labels, 0);
    ivec2 p = clamp(ivec2(floor(uv * vec2(size))), ivec2(0), size - 1);
    return texelFetch(u_labels, p, 0).r;
}

void main() {
    int label = label_at(v_uv);
    if (u_borders) {
        // One output pixel to the right and one below (the image's rows run downwards).
        vec2 pixel = vec2(abs(dFdx(v_uv.x)), abs(dFdy(v_uv.y)));
        bool right = v_uv.x + pixel.x < 1.0 && label_at(v_uv + vec2(pixel.x, 0.0)) != label;
        bool below = v_uv.y + pixel.y < 1.0 && label_at(v_uv + vec2(0.0, pixel.y)) != label;
        if (right || below) {
            o_colour = vec4(u_border_colour, 1.0);
            return;
        }
    }
    ivec2 photo_size = textureSize(u_photo, 0);
    vec3 rgb = texelFetch(u_photo, clamp(ivec2(floor(v_uv * vec2(photo_size))), ivec2(0), photo_size - 1), 0).rgb * 255.0;
    float g = dot(rgb, vec3(0.2989, 0.587, 0.114));
    float lo = u_grey_range.x, hi = u_grey_range.y;
    float grey = hi > lo ? (g - lo) / (hi - lo) * 255.0 : g;
    float base = 255.0 * (1.0 - u_underlay_alpha) + grey * u_underlay_alpha;

    float v = texelFetch(u_values, ivec2(label, u_class), 0).r;
    // colormap.h's colormap_index: floor((v + r) / 2r * 256) clipped; no range: the middle.
    int index = 128;
    if (u_range > 0.0 && !isnan(v) && !isinf(v))
        index = clamp(int(floor((v + u_range) / (2.0 * u_range) * 256.0)), 0, 255);
    vec4 c = texelFetch(u_colormap, ivec2(index, 0), 0);  // normalised: 0..1
    float a = c.a * u_opacity;
    // Hatching: stripes running down to the right, as (x + y) with the image's y downwards.
    bool unsettled = texelFetch(u_values, ivec2(label, u_class + u_classes), 0).r > 0.5;
    if (unsettled && mod(floor(gl_FragCoord.x) - floor(gl_FragCoord.y), u_hatch_period) < u_hatch_period / 2.0)
        a *= u_unsettled_alpha;
    o_colour = vec4((vec3(base) * (1.0 - a) + c.rgb * 255.0 * a) / 255.0, 1.0);
}

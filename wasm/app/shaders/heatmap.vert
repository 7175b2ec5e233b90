#version 300 es
// wasm/app/shaders/heatmap.vert: a rectangle for wasm/app/shaders/heatmap.frag, made from gl_VertexID alone (no
// vertex buffer): draw it with gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4).
// u_rect: the rectangle in clip space (x0, y0, x1, y1); (-1, -1, 1, 1) fills the viewport.
// v_uv: 0..1 across the image, (0, 0) at its top-left pixel, as the photo and label textures
// are uploaded row 0 first (the top of the photo).
precision highp float;

uniform vec4 u_rect;
out vec2 v_uv;

void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));  // (0,0) (1,0) (0,1) (1,1)
    v_uv = vec2(corner.x, 1.0 - corner.y);
    gl_Position = vec4(mix(u_rect.xy, u_rect.zw, corner), 0.0, 1.0);
}

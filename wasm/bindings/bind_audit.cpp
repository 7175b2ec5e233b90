// wasm/bindings/bind_audit.cpp: Embind bindings for `santa-lens audit` (core/audit/image_cues.h,
// perceptual_hash.h, near_duplicates.h, shortcuts.h, suspects.h, contact_sheet.h). Never throws
// into JS: a failure is returned as {error: "message"}. Every argument must be passed (Embind
// counts them); `options` may be {} or null, and its fields are optional.
//
//   auditPhoto(bytes) -> {format, width, height, fileBytes, bytesPerPixel, jpegQuality, exif,
//                         meanRgb: [r, g, b], greyContrast, saturation, borderRgb: [r, g, b],
//                         borderSaturation (the frame's colour: image_cues.h), dhash, phash} | {error}
//       (hashes as 16 hex digits; jpegQuality 0 for other formats)
//   findNearDuplicates(photos: [{dhash, phash}], features: Float32Array | null, dim, options)
//       -> [{a, b, dhash, phash, cosine (null without features)}] | {error}
//       options: phashStrict, dhashStrict, phashLoose, cosineStrict, cosineLoose
//       (core/audit/near_duplicates.h)
//   findShortcuts(photos: [auditPhoto results], labels: Int32Array, classes, options)
//       -> {chance, majority, accuracy, carries, folds, predicted: Int32Array,
//           cues: [{name, group, accuracy, importance, carries}], groups: [{name, accuracy, carries}]}
//       options: folds, seed, maxDepth, minLeaf, margin (core/audit/shortcuts.h)
//   fitPhotos(features, labels: Int32Array, classes, dim, options)
//       -> {pOwn, ownSimilarity, otherSimilarity, outlierZ: Float32Array, otherClass: Int32Array}
//       options: folds, seed (core/audit/suspects.h)
//   contactSheet(sections: [{title, tiles: [{bytes, lines: [string]}]}], font: Uint8Array | null,
//                options) -> {png: Uint8Array, width, height} | {error}
//       options: title, thumb, columns, fontPx (core/audit/contact_sheet.h)
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/audit/contact_sheet.h"
#include "core/audit/image_cues.h"
#include "core/audit/near_duplicates.h"
#include "core/audit/perceptual_hash.h"
#include "core/audit/shortcuts.h"
#include "core/audit/suspects.h"
#include "wasm/bindings/js_fields.h"
#include "wasm/bindings/js_values.h"

using emscripten::val;
using sl::js::error;
using sl::js::to_js;

namespace {

template <typename T>
std::vector<T> vector_of(const val& array) {
    return sl::js::is_array_like(array) ? emscripten::convertJSArrayToNumberVector<T>(array) : std::vector<T>{};
}

std::string hex(uint64_t h) {
    char s[17];
    std::snprintf(s, sizeof s, "%016" PRIx64, h);
    return s;
}

val audit_photo(const val& bytes_js) {
    const std::vector<uint8_t> bytes = vector_of<uint8_t>(bytes_js);
    auto img = sl::decode_image(bytes);
    if (!img) return error(img.error());
    const sl::ImageCues c = sl::image_cues(bytes, *img);
    const sl::PerceptualHash h = sl::perceptual_hash(*img);
    val out = val::object();
    out.set("format", std::string(sl::image_format_name(c.format)));
    out.set("width", c.width), out.set("height", c.height);
    out.set("fileBytes", double(c.file_bytes)), out.set("bytesPerPixel", c.bytes_per_pixel);
    out.set("jpegQuality", c.jpeg_quality), out.set("exif", c.has_exif);
    const auto array = [](const std::array<double, 3>& v) {
        val a = val::array();
        for (double x : v) a.call<void>("push", x);
        return a;
    };
    out.set("meanRgb", array(c.mean_rgb));
    out.set("greyContrast", c.grey_std), out.set("saturation", c.saturation);
    out.set("borderRgb", array(c.border_rgb)), out.set("borderSaturation", c.border_saturation);
    out.set("dhash", hex(h.dhash)), out.set("phash", hex(h.phash));
    return out;
}

// auditPhoto's object back into the core's struct.
sl::ImageCues cues_of(const val& p) {
    sl::ImageCues c;
    const std::string format = p["format"].as<std::string>();
    for (auto f : {sl::ImageFormat::jpeg, sl::ImageFormat::png, sl::ImageFormat::bmp, sl::ImageFormat::gif,
                   sl::ImageFormat::webp})
        if (format == sl::image_format_name(f)) c.format = f;
    c.width = p["width"].as<int>(), c.height = p["height"].as<int>();
    c.file_bytes = int64_t(p["fileBytes"].as<double>()), c.bytes_per_pixel = p["bytesPerPixel"].as<double>();
    c.jpeg_quality = p["jpegQuality"].as<int>(), c.has_exif = p["exif"].as<bool>();
    for (int k = 0; k < 3; ++k) c.mean_rgb[size_t(k)] = p["meanRgb"][k].as<double>();
    c.grey_std = p["greyContrast"].as<double>(), c.saturation = p["saturation"].as<double>();
    for (int k = 0; k < 3; ++k) c.border_rgb[size_t(k)] = p["borderRgb"][k].as<double>();
    c.border_saturation = p["borderSaturation"].as<double>();
    return c;
}

val find_near_duplicates(const val& photos, const val& features, int dim, const val& options) {
    std::vector<sl::PerceptualHash> hashes;
    const int n = photos["length"].as<int>();
    for (int i = 0; i < n; ++i)
        hashes.push_back({std::strtoull(photos[i]["dhash"].as<std::string>().c_str(), nullptr, 16),
                          std::strtoull(photos[i]["phash"].as<std::string>().c_str(), nullptr, 16)});
    sl::DuplicateOptions o;
    sl::js::Fields f(options, "options");
    f.integer("phashStrict", 0, 64, o.phash_strict);
    f.integer("dhashStrict", 0, 64, o.dhash_strict);
    f.integer("phashLoose", 0, 64, o.phash_loose);
    f.number("cosineStrict", o.cosine_strict);
    f.number("cosineLoose", o.cosine_loose);
    if (!f.ok()) return error(f.why());
    auto pairs = sl::find_near_duplicates(hashes, vector_of<float>(features), dim, o);
    if (!pairs) return error(pairs.error());
    val out = val::array();
    for (const auto& p : *pairs) {
        val v = val::object();
        v.set("a", p.a), v.set("b", p.b), v.set("dhash", p.dhash_distance), v.set("phash", p.phash_distance);
        v.set("cosine", std::isnan(p.cosine) ? val::null() : val(p.cosine));
        out.call<void>("push", v);
    }
    return out;
}

val find_shortcuts(const val& photos, const val& labels, int classes, const val& options) {
    std::vector<sl::ImageCues> cues;
    const int n = photos["length"].as<int>();
    for (int i = 0; i < n; ++i) cues.push_back(cues_of(photos[i]));
    sl::ShortcutOptions o;
    sl::js::Fields f(options, "options");
    f.integer("folds", 0, 1e9, o.folds);
    f.integer("seed", 0, 9007199254740992.0, o.seed);
    f.integer("maxDepth", 0, 1e9, o.tree.max_depth);
    f.integer("minLeaf", 0, 1e9, o.tree.min_leaf);
    f.number("margin", o.margin);
    if (!f.ok()) return error(f.why());
    auto r = sl::find_shortcuts(sl::cue_columns(cues), vector_of<int>(labels), classes, o);
    if (!r) return error(r.error());
    val out = val::object();
    out.set("chance", r->chance), out.set("majority", r->majority), out.set("accuracy", r->accuracy);
    out.set("carries", r->carries), out.set("folds", r->folds), out.set("predicted", to_js(r->predicted));
    val list = val::array();
    for (const auto& c : r->cues) {
        val v = val::object();
        v.set("name", c.name), v.set("group", c.group), v.set("accuracy", c.accuracy);
        v.set("importance", c.importance), v.set("carries", c.carries);
        list.call<void>("push", v);
    }
    out.set("cues", list);
    val groups = val::array();
    for (const auto& g : r->groups) {
        val v = val::object();
        v.set("name", g.name), v.set("accuracy", g.accuracy), v.set("carries", g.carries);
        groups.call<void>("push", v);
    }
    out.set("groups", groups);
    return out;
}

val fit_photos(const val& features, const val& labels, int classes, int dim, const val& options) {
    sl::SuspectOptions o;
    sl::js::Fields read(options, "options");
    read.integer("folds", 0, 1e9, o.folds);
    read.integer("seed", 0, 9007199254740992.0, o.seed);
    if (!read.ok()) return error(read.why());
    auto fits = sl::fit_photos(vector_of<float>(features), vector_of<int>(labels), classes, dim, o);
    if (!fits) return error(fits.error());
    std::vector<float> p, own, other, z;
    std::vector<int> other_class;
    for (const auto& f : *fits) {
        p.push_back(f.p_own), own.push_back(f.own_similarity), other.push_back(f.other_similarity);
        z.push_back(f.outlier_z), other_class.push_back(f.other_class);
    }
    val out = val::object();
    out.set("pOwn", to_js(p)), out.set("ownSimilarity", to_js(own)), out.set("otherSimilarity", to_js(other));
    out.set("outlierZ", to_js(z)), out.set("otherClass", to_js(other_class));
    return out;
}

val contact_sheet(const val& sections_js, const val& font_js, const val& options) {
    std::vector<sl::SheetSection> sections;
    const int n = sections_js["length"].as<int>();
    for (int s = 0; s < n; ++s) {
        sl::SheetSection section;
        const val js = sections_js[s];
        if (js["title"].isString()) section.title = js["title"].as<std::string>();
        const int tiles = js["tiles"]["length"].as<int>();
        for (int t = 0; t < tiles; ++t) {
            const val tile = js["tiles"][t];
            auto img = sl::decode_image(vector_of<uint8_t>(tile["bytes"]));
            if (!img)
                return error("contact sheet, section " + std::to_string(s + 1) + " tile " + std::to_string(t + 1) +
                             ": " + img.error());
            std::vector<std::string> lines;
            for (int k = 0; k < tile["lines"]["length"].as<int>(); ++k)
                lines.push_back(tile["lines"][k].as<std::string>());
            section.tiles.push_back({std::move(*img), std::move(lines)});
        }
        sections.push_back(std::move(section));
    }
    const std::vector<uint8_t> font = vector_of<uint8_t>(font_js);
    sl::SheetStyle style;
    style.font = font;
    sl::js::Fields f(options, "options");
    f.integer("thumb", 1, 1e9, style.thumb);
    f.integer("columns", 1, 1e9, style.columns);
    f.number("fontPx", style.font_px);
    f.text("title", style.title);
    if (!f.ok()) return error(f.why());
    auto sheet = sl::render_contact_sheet(sections, style);
    if (!sheet) return error(sheet.error());
    val out = val::object();
    out.set("png", to_js(sl::encode_png(*sheet)));
    out.set("width", sheet->width), out.set("height", sheet->height);
    return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(santa_lens_audit) {
    emscripten::function("auditPhoto", &audit_photo);
    emscripten::function("findNearDuplicates", &find_near_duplicates);
    emscripten::function("findShortcuts", &find_shortcuts);
    emscripten::function("fitPhotos", &fit_photos);
    emscripten::function("contactSheet", &contact_sheet);
}

// core/audit/image_cues.h: what a photo's file and pixel statistics say, apart from what it shows:
// size, format, compression, EXIF, colour. The audit's shortcut check (shortcuts.h) asks whether
// these alone tell the classes apart.
//
//   auto img = sl::decode_image(bytes);                       // image.h
//   sl::ImageCues c = sl::image_cues(bytes, *img);
//   print(c.width, c.height, c.jpeg_quality, c.has_exif);
//   std::vector<sl::CueColumn> columns = sl::cue_columns(all_cues);   // for find_shortcuts
//
// Two groups of cues, judged apart because they mean different things:
//   file:   width, height, aspect, megapixels, size (exact "w x h", a category), format,
//           bytes per pixel, JPEG quality, EXIF. None of these should predict the class (bytes
//           per pixel a little: fine detail costs bytes, flat clip art compresses well).
//   colour: mean red, green and blue, grey contrast, saturation. Weaker evidence of a shortcut:
//           Santa's suit is red, so colour also carries content.
//   background: the same colour statistics of the photo's frame (its outer kBorderShare on every
//           side, where the subject seldom is): red, green, blue, saturation, warmth (red - blue).
//           A label these predict is a label the surroundings give away: a model can learn
//           "red light around a person" instead of "Santa" (docs/audit.md).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/audit/shortcuts.h"
#include "core/image/image.h"

namespace sl {

struct ImageCues {
    ImageFormat format = ImageFormat::unknown;  // by content (image.h: sniff_image_format)
    int width = 0, height = 0;                  // pixels, upright (after EXIF orientation)
    int64_t file_bytes = 0;                     // size of the file
    double bytes_per_pixel = 0;                 // file_bytes / (width * height)
    int jpeg_quality = 0;                       // IJG quality 1..100 (jpeg_header.h); 0: not a JPEG
    bool has_exif = false;                      // a JPEG with an EXIF segment
    std::array<double, 3> mean_rgb{};           // mean of each channel, 0..255
    double grey_std = 0;                        // standard deviation of BT.601 grey, 0..127.5
    double saturation = 0;                      // mean HSV saturation (max - min) / max, 0..1
    std::array<double, 3> border_rgb{};         // mean of each channel over the frame, 0..255
    double border_saturation = 0;               // mean HSV saturation over the frame, 0..1
};

// The frame whose colour stands for the background: this share of the width or height on every side.
constexpr double kBorderShare = 0.15;

// The cues of a photo: `file` its bytes, `image` the same photo decoded (decode_image). Colour
// statistics read at most about 65,536 pixels, on a regular grid.
ImageCues image_cues(std::span<const uint8_t> file, const Image& image);

// The cues of many photos as columns for find_shortcuts, in the order listed at the top; "size"
// and "format" are category codes (w * 65536 + h; the ImageFormat value), "exif" 0 or 1, and
// "jpeg_quality" is NaN for photos that are not JPEGs.
std::vector<CueColumn> cue_columns(std::span<const ImageCues> cues);

}  // namespace sl

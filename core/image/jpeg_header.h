// core/image/jpeg_header.h: what a JPEG's header segments tell without decoding the picture: whether it
// carries EXIF, and the quality setting its quantisation tables imply. Pairs with image_cues.h,
// where both become cues of the audit's shortcut check.
//
//   sl::JpegHeader h = sl::read_jpeg_header(bytes);
//   if (h.quality) print(h.quality);   // 90 for a photo saved by libjpeg/PIL/stb at quality 90
//   if (h.has_exif) ...
//
// The quality estimate is the IJG quality (libjpeg, PIL, stb_image_write and many cameras scale
// the Annex K tables this way: table = clamp((annex_k * S + 50) / 100), S = 5000 / q below
// q = 50 and 200 - 2 q above) whose luma table is closest to the file's (the first table with
// id 0) in summed absolute difference: exact for IJG tables, and a fair "how hard was it
// compressed" for others (Photoshop's, cameras' own).
#pragma once
#include <cstdint>
#include <span>

namespace sl {

struct JpegHeader {
    bool has_exif = false;  // an APP1 segment starting "Exif\0\0" before the first scan
    int quality = 0;        // IJG quality 1..100 estimated from the luma table; 0: no table found
};

// Reads the segments of a JPEG up to its first scan. Anything that is not a JPEG, or a header
// that is cut short, gives what was read so far (no EXIF, quality 0 if no table came first);
// never reads out of bounds.
JpegHeader read_jpeg_header(std::span<const uint8_t> bytes);

// The IJG quality (1..100) whose scaled Annex K luma table is closest to `table`: 64 values in
// the zig-zag order of a DQT segment, each 1..65535.
int ijg_quality(std::span<const uint16_t, 64> table);

}  // namespace sl

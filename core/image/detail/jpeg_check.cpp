// core/image/detail/jpeg_check.cpp: the walk over a JPEG's segments and scans (jpeg_check.h).
//
// The markers come from detail/jpeg_markers.h, which walks through the scans too. Segments stb would refuse anyway (a scan header of the wrong
// length, a component no frame declares) are left for stb to refuse.
#include "core/image/detail/jpeg_check.h"

#include <array>
#include <string>
#include <vector>

#include "core/image/detail/jpeg_markers.h"

namespace sl::detail {
namespace {

struct Tables {
    std::array<bool, 4> dc{}, ac{}, quant{};  // defined so far, by id
    struct Component {
        int id, quant;
    };
    std::vector<Component> frame;  // the frame header's components
    bool progressive = false;      // SOF2: scans of spectral bands and bit planes
};

// A DHT segment: tables of class (0 DC, 1 AC) and id, 16 code counts, then the symbols; at most
// 256 symbols a table (stb's arrays), the tables filling the segment exactly.
bool read_huffman(std::span<const uint8_t> seg, Tables& t) {
    size_t at = 0;
    while (at < seg.size()) {
        if (at + 17 > seg.size()) return false;
        size_t symbols = 0;
        for (size_t k = 1; k <= 16; ++k) symbols += seg[at + k];
        const int kind = seg[at] >> 4, id = seg[at] & 15;
        if (symbols > 256 || at + 17 + symbols > seg.size() || kind > 1 || id > 3) return false;
        (kind == 0 ? t.dc : t.ac)[size_t(id)] = true;
        at += 17 + symbols;
    }
    return true;
}

// A DQT segment: tables of precision (0: 64 bytes, 1: 64 16-bit values) and id.
void read_quant(std::span<const uint8_t> seg, Tables& t) {
    for (size_t at = 0; at < seg.size();) {
        const size_t size = 1 + 64 * size_t((seg[at] >> 4) + 1);
        if ((seg[at] >> 4) > 1 || (seg[at] & 15) > 3 || at + size > seg.size()) return;  // stb refuses it
        t.quant[seg[at] & 15] = true;
        at += size;
    }
}

// A frame header (SOF0, SOF1, SOF2: the kinds stb decodes): each component's quantisation table.
void read_frame(uint8_t marker, std::span<const uint8_t> seg, Tables& t) {
    if (!t.frame.empty() || seg.size() < 6 || seg.size() != 6 + 3 * size_t(seg[5])) return;
    t.progressive = marker == 0xC2;
    for (size_t c = 0; c < seg[5]; ++c) t.frame.push_back({seg[6 + 3 * c], seg[8 + 3 * c]});
}

// A scan header: every table its components use must be defined by now. A sequential scan uses
// both tables of each component; a progressive one the DC table in a first DC scan, the AC
// table in an AC scan, none when it refines DC bits.
Result<void> check_scan(std::span<const uint8_t> seg, const Tables& t) {
    if (seg.empty() || seg.size() != 4 + 2 * size_t(seg[0])) return {};
    const size_t n = seg[0];
    const int first = seg[1 + 2 * n], refining = seg[3 + 2 * n] >> 4;
    const bool dc = !t.progressive || (first == 0 && refining == 0), ac = !t.progressive || first > 0;
    for (size_t k = 0; k < n; ++k) {
        const int id = seg[1 + 2 * k], dc_id = seg[2 + 2 * k] >> 4, ac_id = seg[2 + 2 * k] & 15;
        if ((dc && (dc_id > 3 || !t.dc[size_t(dc_id)])) || (ac && (ac_id > 3 || !t.ac[size_t(ac_id)])))
            return fail("corrupt JPEG (a scan uses a Huffman table the file does not define)");
        for (const auto& c : t.frame)
            if (c.id == id && (c.quant > 3 || !t.quant[size_t(c.quant)]))
                return fail("corrupt JPEG (a component uses a quantisation table the file does not define)");
    }
    return {};
}

}  // namespace

Result<void> check_jpeg(std::span<const uint8_t> b) {
    Tables tables;
    bool scanned = false;
    Result<void> bad_scan;
    const auto end = walk_jpeg_markers(b, [&](uint8_t m, std::span<const uint8_t> seg) {
        if (m == 0xC4 && !read_huffman(seg, tables)) {
            bad_scan = fail("corrupt JPEG (bad Huffman table)");
            return false;
        }
        if (m == 0xDB) read_quant(seg, tables);
        if (m == 0xC0 || m == 0xC1 || m == 0xC2) read_frame(m, seg, tables);
        if (m == 0xDA) {
            bad_scan = check_scan(seg, tables);
            scanned = true;
        }
        return bool(bad_scan);
    });
    switch (end) {
        case JpegWalkEnd::stopped:
            return bad_scan;
        case JpegWalkEnd::bad_length:
            return fail("corrupt JPEG (bad segment length)");
        case JpegWalkEnd::end_of_image:
            if (scanned) return {};
            [[fallthrough]];
        default:
            return fail(scanned ? "truncated JPEG (the end of the image is missing)"
                                : "truncated JPEG (no image data)");
    }
}

}  // namespace sl::detail

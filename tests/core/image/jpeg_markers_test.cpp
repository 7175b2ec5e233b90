// tests/core/image/jpeg_markers_test.cpp: the one walk over a JPEG's markers that the header,
// EXIF, audit-cue and pre-decode readers share.
#include "core/image/detail/jpeg_markers.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;
using sl::detail::JpegWalkEnd;

struct Seen {
    uint8_t marker;
    Bytes segment;
    bool operator==(const Seen&) const = default;
};

// Walks `jpeg`, recording every visited segment; stops at `stop_at` when given.
std::pair<JpegWalkEnd, std::vector<Seen>> walk(const Bytes& jpeg, int stop_at = -1) {
    std::vector<Seen> seen;
    const auto end = sl::detail::walk_jpeg_markers(jpeg, [&](uint8_t m, std::span<const uint8_t> seg) {
        seen.push_back({m, Bytes(seg.begin(), seg.end())});
        return m != stop_at;
    });
    return {end, seen};
}

}  // namespace

TEST(JpegMarkers, VisitsSegmentsSkippingPaddingFillAndStandaloneMarkers) {
    // SOI, APP0 (2 payload bytes), padding 00 00, fill FF FF, DQT (1 byte), SOS (1 byte), entropy
    // data with a stuffed FF 00 and a restart marker, EOI.
    const Bytes jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 'J',  'F',  0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xDB, 0x00, 0x03,
                        0x07, 0xFF, 0xDA, 0x00, 0x03, 0x01, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56, 0xFF, 0xD9};
    const auto [end, seen] = walk(jpeg);
    EXPECT_EQ(end, JpegWalkEnd::end_of_image);
    const std::vector<Seen> expected = {{0xE0, {'J', 'F'}}, {0xDB, {0x07}}, {0xDA, {0x01}}};
    EXPECT_EQ(seen, expected);
}

TEST(JpegMarkers, StopsWhereTheVisitorSaysAndNamesHowTheWalkEnded) {
    const Bytes jpeg = {0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9};
    EXPECT_EQ(walk(jpeg, 0xE1).first, JpegWalkEnd::stopped);
    EXPECT_EQ(walk(jpeg, 0xE1).second.size(), 1u);
    EXPECT_EQ(walk(jpeg).first, JpegWalkEnd::end_of_image);

    EXPECT_EQ(walk({0x89, 'P', 'N', 'G'}).first, JpegWalkEnd::not_jpeg);
    EXPECT_EQ(walk({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01}).first, JpegWalkEnd::bad_length);
    // A segment that claims more bytes than the file has is never visited.
    const auto [end, seen] = walk({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x09, 1, 2, 3});
    EXPECT_EQ(end, JpegWalkEnd::out_of_data);
    EXPECT_TRUE(seen.empty());
}

// tests/core/image/jpeg_check_test.cpp: the JPEG walk that keeps stb_image from tables it would overrun
// or read uninitialised, and from files cut short.
#include "core/image/detail/jpeg_check.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/image/image.h"
#include "tests/core/test_images.h"

namespace {

using Bytes = std::vector<uint8_t>;

std::string error_of(const Bytes& jpeg) {
    auto ok = sl::detail::check_jpeg(jpeg);
    return ok ? "(accepted)" : ok.error();
}

// Where `marker` (FF xx) first appears.
size_t find(const Bytes& jpeg, uint8_t marker) {
    for (size_t i = 2; i + 1 < jpeg.size(); ++i)
        if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
    return jpeg.size();
}

}  // namespace

TEST(JpegCheck, AcceptsWholeJpegsAndRefusesCutOnes) {
    const Bytes jpeg = sl::encode_jpeg(test_photo(2, 16, 16), 90);
    EXPECT_EQ(error_of(jpeg), "(accepted)");
    EXPECT_EQ(error_of(Bytes(jpeg.begin(), jpeg.end() - 2)), "truncated JPEG (the end of the image is missing)");
    EXPECT_EQ(error_of(Bytes(jpeg.begin(), jpeg.begin() + long(find(jpeg, 0xDA)))), "truncated JPEG (no image data)");
}

// Found by the sanitizer build: Debian's stb_image (2.27) writes past its Huffman arrays when a
// DHT table's 16 code counts add up to more than 256 symbols; such a JPEG is refused first.
TEST(JpegCheck, RefusesAHuffmanTableOfMoreThan256Symbols) {
    const Bytes jpeg = sl::encode_jpeg(test_photo(2, 16, 16), 95);
    // A DHT segment of one table: class 0, id 0, counts 255 + 2 = 257 symbols, all present.
    Bytes dht = {0xFF, 0xC4, 0x01, 0x14, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 2};
    dht.resize(dht.size() + 257, 0x01);
    ASSERT_EQ(dht.size() - 2, size_t(0x0114));
    for (size_t at : {size_t(2), jpeg.size() - 2}) {  // before the frame header, and after the scan
        Bytes bad = jpeg;
        bad.insert(bad.begin() + long(at), dht.begin(), dht.end());
        auto r = sl::decode_image(bad);  // the whole decoder: stb must never see it
        ASSERT_FALSE(r) << at;
        EXPECT_EQ(r.error(), "corrupt JPEG (bad Huffman table)") << at;
    }
}

// Found by fuzz_photo: a scan that uses AC Huffman table 3, which no DHT segment defines. stb
// then decodes with its uninitialised table and reads symbol ids far outside its arrays (when
// the memory held old data, as in a long fuzzing run). The fuzzer's input, and the same fault
// made on purpose in a valid JPEG, in a DC table and in a quantisation table.
TEST(JpegCheck, RefusesAScanThatUsesATableNeverDefined) {
    std::ifstream f(std::string(SANTA_LENS_FUZZ_FOUND_DIR) + "/photo-undefined-huffman-table.bin", std::ios::binary);
    const Bytes found((std::istreambuf_iterator<char>(f)), {});
    ASSERT_EQ(found.size(), 752u);
    auto r = sl::decode_image(found);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), "corrupt JPEG (a scan uses a Huffman table the file does not define)");

    const Bytes jpeg = sl::encode_jpeg(test_photo(2, 16, 16), 95);  // stb's writer: tables 0 and 1 of each kind
    const size_t sos = find(jpeg, 0xDA), sof = find(jpeg, 0xC0);
    ASSERT_LT(sos, jpeg.size());
    ASSERT_LT(sof, jpeg.size());
    Bytes bad_dc = jpeg;
    bad_dc[sos + 6] = 0x21;  // the first component: DC table 2, AC table 1
    EXPECT_EQ(error_of(bad_dc), "corrupt JPEG (a scan uses a Huffman table the file does not define)");
    Bytes bad_quant = jpeg;
    bad_quant[sof + 12] = 2;  // the first component's quantisation table: 2
    EXPECT_EQ(error_of(bad_quant), "corrupt JPEG (a component uses a quantisation table the file does not define)");
}

// bench/slic_bench.cpp: speed and quality of sl::slic on photos with person masks; prints JSON.
// Pairs with bench/slic_skimage.py, which prints the same keys for scikit-image's slic.
//
//   build/native/bench/slic_bench [FOLDER]                        (FOLDER holds images/, masks/)
//   node --no-experimental-fetch build/wasm/bench/slic_bench.js [FOLDER]
//
// FOLDER defaults to segmentation/ in SANTA_LENS_DATA_DIR (CMakeLists.txt). For each setting
// (n_segments 50 and 200, compactness 30 and 10, sigma 3) it reports: ms per megapixel (median
// over photos, after one warm-up call; only sl::slic is timed, not decoding), the mean segment
// count, and two edge figures against the masks, both means over photos:
//   boundary_recall: share of mask-border pixels within 2 px of a superpixel border;
//   undersegmentation_error: per superpixel the smaller of its areas inside and outside the
//     mask, summed, over the image area.
// Borders on both sides are "a right or lower neighbour differs" (sl::segment_borders); masks
// are scaled to the photo with nearest neighbour, pixel centre to pixel centre.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/explain/slic.h"
#include "core/image/image.h"

namespace {

namespace fs = std::filesystem;

struct Photo {
    std::string name;
    sl::Image image;
    sl::Segmentation mask;  // labels 0 (background) and 1 (person), at the photo's size
};

bool read_image(const fs::path& path, sl::Image& out) {
    std::ifstream file(path, std::ios::binary);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(file), {}};
    auto image = sl::decode_image(bytes);
    if (!image) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), image.error().c_str());
        return false;
    }
    out = std::move(*image);
    return true;
}

std::vector<Photo> load_photos(const fs::path& folder) {
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(folder / "images"))
        if (entry.path().extension() == ".jpg" && entry.path().filename().string()[0] != '.')
            paths.push_back(entry.path());  // not macOS's ._ and .DS_Store files
    std::sort(paths.begin(), paths.end());
    std::vector<Photo> photos;
    for (const fs::path& path : paths) {
        Photo p;
        sl::Image mask;
        p.name = path.stem().string();
        if (!read_image(path, p.image) || !read_image(folder / "masks" / (p.name + ".png"), mask)) continue;
        sl::Segmentation m{mask.width, mask.height, 2, std::vector<int32_t>(mask.rgb.size() / 3)};
        for (size_t i = 0; i < m.labels.size(); ++i) m.labels[i] = mask.rgb[i * 3] >= 128;
        p.mask = sl::resize_segmentation(m, p.image.width, p.image.height);
        photos.push_back(std::move(p));
    }
    return photos;
}

// Max filter over a (2r+1) x (2r+1) square, rows then columns.
std::vector<uint8_t> dilate(const std::vector<uint8_t>& in, int w, int h, int r) {
    std::vector<uint8_t> rows(in.size()), out(in.size());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t v = 0;
            for (int k = std::max(0, x - r); k <= std::min(w - 1, x + r); ++k) v |= in[size_t(y) * w + k];
            rows[size_t(y) * w + x] = v;
        }
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t v = 0;
            for (int k = std::max(0, y - r); k <= std::min(h - 1, y + r); ++k) v |= rows[size_t(k) * w + x];
            out[size_t(y) * w + x] = v;
        }
    return out;
}

// Share of mask-border pixels within 2 px of a superpixel border; -1 when the mask has none.
double boundary_recall(const sl::Segmentation& seg, const sl::Segmentation& mask) {
    const std::vector<uint8_t> near = dilate(sl::segment_borders(seg), seg.width, seg.height, 2);
    const std::vector<uint8_t> truth = sl::segment_borders(mask);
    size_t hit = 0, total = 0;
    for (size_t i = 0; i < truth.size(); ++i) total += truth[i], hit += truth[i] && near[i];
    return total ? double(hit) / double(total) : -1;
}

double undersegmentation_error(const sl::Segmentation& seg, const sl::Segmentation& mask) {
    std::vector<size_t> inside(size_t(seg.count)), outside(size_t(seg.count));
    for (size_t i = 0; i < seg.labels.size(); ++i) ++(mask.labels[i] ? inside : outside)[size_t(seg.labels[i])];
    size_t leak = 0;
    for (int k = 0; k < seg.count; ++k) leak += std::min(inside[k], outside[k]);
    return double(leak) / double(seg.labels.size());
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / double(v.size());
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path folder = argc > 1 ? fs::path(argv[1]) : fs::path(SANTA_LENS_DATA_DIR) / "segmentation";
    if (!fs::is_directory(folder / "images")) {
        std::fprintf(stderr,
                     "usage: slic_bench [FOLDER with images/ and masks/]\n"
                     "no %s\n",
                     (folder / "images").c_str());
        return 2;
    }
    const std::vector<Photo> photos = load_photos(folder);
    if (photos.empty()) {
        std::fprintf(stderr, "no photos with masks in %s\n", folder.c_str());
        return 1;
    }
    nlohmann::json results = nlohmann::json::array();
    double megapixels = 0;
    for (const Photo& p : photos) megapixels += p.image.width * double(p.image.height) / 1e6;
    for (double compactness : {30.0, 10.0})
        for (int n_segments : {50, 200}) {
            sl::SlicParams params;
            params.n_segments = n_segments;
            params.compactness = compactness;
            params.sigma = 3;
            (void)sl::slic(photos[0].image, params);  // warm-up: caches, page faults
            std::vector<double> ms_per_mp, segments, recall, under;
            for (const Photo& p : photos) {
                const auto start = std::chrono::steady_clock::now();
                auto seg = sl::slic(p.image, params);
                const auto stop = std::chrono::steady_clock::now();
                if (!seg) {
                    std::fprintf(stderr, "%s: %s\n", p.name.c_str(), seg.error().c_str());
                    return 1;
                }
                const double ms = std::chrono::duration<double, std::milli>(stop - start).count();
                ms_per_mp.push_back(ms / (p.image.width * double(p.image.height) / 1e6));
                segments.push_back(seg->count);
                if (double r = boundary_recall(*seg, p.mask); r >= 0) recall.push_back(r);
                under.push_back(undersegmentation_error(*seg, p.mask));
            }
            results.push_back({{"n_segments", n_segments},
                               {"compactness", compactness},
                               {"sigma", params.sigma},
                               {"ms_per_megapixel", median(ms_per_mp)},
                               {"mean_segments", mean(segments)},
                               {"boundary_recall", mean(recall)},
                               {"undersegmentation_error", mean(under)}});
        }
#ifdef __EMSCRIPTEN__
    const char* implementation = "santa-lens sl::slic, WebAssembly (node)";
#else
    const char* implementation = "santa-lens sl::slic, native";
#endif
    const nlohmann::json out = {{"implementation", implementation},
                                {"photos", photos.size()},
                                {"mean_megapixels", megapixels / double(photos.size())},
                                {"results", results}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

// core/explain/slic.h: SLIC superpixels (Achanta et al. 2012) in CIELAB, with scikit-image's parameters.
// Pairs with masking.h (switching superpixels off) and kernel_shap.h (one player per superpixel).
//
//   sl::SlicParams p;                              // n_segments 50, compactness 30, sigma 3
//   sl::Result<sl::Segmentation> seg = sl::slic(image, p);
//   if (!seg) { report(seg.error()); return; }
//   int label = seg->labels[y * seg->width + x];   // 0 .. seg->count - 1
//
// What scikit-image users expect from `skimage.segmentation.slic(img, n_segments, compactness,
// sigma, start_label=0)` (0.19), and what this does the same way: the channel values are
// stretched so the image's [min, max] becomes [0, 1], converted to CIELAB (D65, color_lab.h),
// smoothed with a Gaussian of `sigma` pixels (truncated at 4 sigma, mirrored at the edges),
// seeded on scikit-image's regular grid of about n_segments cells of side S, and iterated with
// the distance sqrt(d_lab^2 + (d_xy * compactness / S)^2). Two differences, both measured on
// person photos to be at least as good at following edges: each centre searches +-S around
// itself, as in the SLIC paper (scikit-image: +-2 S, four times the work), and connectivity
// merges every 4-connected piece under min_size_factor * the mean cell size into its
// neighbour of the closest mean colour (scikit-image: whichever neighbour its search met
// last; it also splits pieces over 3x the mean size, which this does not).
// Labels are numbered 0..count-1 in raster order of first appearance. `count` may differ from
// n_segments, as in scikit-image. Deterministic: the same image and parameters give the same
// labels on every build (float maths with + - * / only, after tables made the same way).
#pragma once
#include <cstdint>
#include <vector>

#include "core/base/result.h"
#include "core/image/image.h"

namespace sl {

struct SlicParams {
    int n_segments = 50;               // approximate number of superpixels wanted (>= 1)
    double compactness = 30;           // colour vs space: higher gives squarer superpixels (shap's example: 30)
    double sigma = 3;                  // Gaussian pre-smoothing, in pixels (0: none; at most 1000)
    int max_iterations = 10;           // k-means passes, the first by position alone, as scikit-image's
                                       // max_num_iter; stops early once no centre moves
    bool enforce_connectivity = true;  // every label one 4-connected region
    double min_size_factor = 0.5;      // merge pieces under this * (pixels / seeds), >= 0
};

struct Segmentation {
    int width = 0;
    int height = 0;
    int count = 0;                // number of superpixels; labels are 0 .. count - 1
    std::vector<int32_t> labels;  // width * height, row-major
};

// Superpixels of an RGB8 image of any size (1x1 and 1xN too). Errors: an empty image,
// n_segments < 1, compactness <= 0, sigma outside [0, 1000], max_iterations < 1,
// min_size_factor < 0.
Result<Segmentation> slic(const Image& image, const SlicParams& params = {});

// The same labels at another size, nearest neighbour, pixel centre to pixel centre (a
// segmentation made at display size, used at the model's 224x224). Labels that vanish at the new size are not renumbered: count stays.
Segmentation resize_segmentation(const Segmentation& segmentation, int width, int height);

// Pixels on a border: 1 where a 4-neighbour (right or below) has another label. For drawing
// borders and for boundary recall.
std::vector<uint8_t> segment_borders(const Segmentation& segmentation);

}  // namespace sl

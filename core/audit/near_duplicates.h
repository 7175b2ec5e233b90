// core/audit/near_duplicates.h: pairs of photos that are one picture: copies, resized, re-encoded,
// slightly cropped or recoloured. A training set with such pairs counts one photo twice; a pair
// across the training and the test set is a leak (the test then measures memory, not skill).
// Pairs with perceptual_hash.h (fingerprints) and, optionally, a backbone's pooled features.
//
//   std::vector<sl::PerceptualHash> h = ...;                 // one per photo
//   std::vector<float> f = ...;                              // n * 2048 ResNet50 features, or empty
//   auto pairs = sl::find_near_duplicates(h, f, 2048);
//   for (auto& p : *pairs) print(p.a, p.b, p.phash_distance, p.cosine);
//
// A pair is a near-duplicate when any of these holds:
//   - the DCT hash agrees to within `phash_strict` bits and the difference hash to within
//     `dhash_strict` (resizing, re-encoding, colour changes; the difference hash only guards,
//     as it flips bits in flat areas: blank backgrounds, smooth gradients);
//   - the features' cosine similarity is at least `cosine_strict` (also crops, mirrors);
//   - the DCT hash agrees to within `phash_loose` bits and the cosine is at least `cosine_loose`
//     (crops and strong recolouring, where each alone is unsure).
// Without features only the first rule applies. The features are compared as they are (ResNet's
// pooled activations, all >= 0), every pair, O(n^2 dim): about a second for 1,400 photos.
//
// The defaults were measured on the 1,420 photos of santa/ and people-extra/ (docs/audit.md)
// (train and test) and on copies of 60-100 of them made by resizing, re-encoding, cropping and
// recolouring. Copies: resized to 1/2 or 1/4, JPEG quality 25, PNG, squashed 20%, warmer, darker,
// grey or hue-rotated: phash within 6 bits, dhash within 5, every one found. Cropped 5% a side: dhash
// 9-15, phash 12-28 bits, cosine 0.84-0.99, 93% found; 10% off one side 97%, 10% off two sides
// 53%; crop + resize + recolour + quality 60 83%; mirrored 78%. Distinct photos: phash 10 bits
// apart at the closest (dhash then 8; dhash alone comes down to 2 between two clip arts on white),
// the highest cosine 0.939 (two portraits of one model), none with phash <= 16 and cosine >= 0.92. On that data the rules find exactly one identical pair in
// santa/train/santa and two consecutive frames of one street scene in santa/train/person.
#pragma once
#include <span>
#include <vector>

#include "core/audit/perceptual_hash.h"
#include "core/base/result.h"

namespace sl {

struct DuplicateOptions {
    int phash_strict = 8;         // bits of phash, with dhash_strict: a copy on hashes alone
    int dhash_strict = 16;        // bits of dhash
    int phash_loose = 16;         // bits of phash, with cosine_loose
    float cosine_strict = 0.95f;  // feature cosine similarity alone
    float cosine_loose = 0.92f;   // with phash_loose
};

struct DuplicatePair {
    int a = 0, b = 0;        // photo indices, a < b
    int dhash_distance = 0;  // bits, 0..64
    int phash_distance = 0;
    float cosine = 0;  // feature cosine similarity; NaN without features
};

// All near-duplicate pairs, ordered by a then b. `features`: hashes.size() * dim floats, or
// empty. Errors: features of another size, a feature that is not finite, dim < 1.
Result<std::vector<DuplicatePair>> find_near_duplicates(std::span<const PerceptualHash> hashes,
                                                        std::span<const float> features, int dim,
                                                        const DuplicateOptions& options = {});

}  // namespace sl

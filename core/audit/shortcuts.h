// core/audit/shortcuts.h: can the classes be told apart by cues that say nothing about what the photo
// shows (its size, file format, compression, colour statistics)? If they can, a classifier may
// learn the cue instead of the content: the original Santa data's person photos are all 640 x 480
// street scenes, so "640 x 480" alone says "person". Pairs with image_cues.h (the cues of a photo)
// and decision_tree.h (the model that looks for the shortcut).
//
//   std::vector<sl::CueColumn> cues = sl::cue_columns(photo_cues);   // image_cues.h
//   auto r = sl::find_shortcuts(cues, labels, 2, sl::ShortcutOptions{});
//   if (r && r->carries) print(r->accuracy, r->chance);   // e.g. 0.99 against 0.55
//   for (auto& c : r->cues) print(c.name, c.accuracy, c.importance);
//
// Every accuracy is k-fold cross-validated (stratified folds, metrics.h) with a small tree, so it
// says how well a cue predicts photos it was not fitted on. Chance is the majority class's share,
// what a model that ignores the photo gets.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/audit/decision_tree.h"
#include "core/base/result.h"

namespace sl {

struct CueColumn {
    std::string name;            // "width", "format", ...
    std::string group;           // cues judged together: "file", "colour"
    bool categorical = false;    // values are category codes (format, exact size), not amounts
    std::vector<double> values;  // one per photo; NaN: not known for this photo
};

struct ShortcutOptions {
    int folds = 5;        // cross-validation folds (fewer when there are fewer photos)
    uint64_t seed = 1;    // fold assignment
    TreeOptions tree;     // the tree for all cues and for each group; single cues use the same
    double margin = 0.1;  // a cue "carries" a shortcut when its accuracy beats chance by this much
                          // and by three standard errors of chance (sqrt(c (1 - c) / n))
};

struct CueScore {
    std::string name, group;
    double accuracy = 0;    // cross-validated accuracy of a tree on this cue alone
    double importance = 0;  // share of the all-cue tree's impurity decrease (fitted on all photos)
    bool carries = false;   // accuracy beats chance by the margin
};

struct GroupScore {
    std::string name;
    double accuracy = 0;  // cross-validated accuracy of a tree on the group's cues
    bool carries = false;
};

struct ShortcutReport {
    double chance = 0;               // the majority class's share of the photos
    int majority = 0;                // that class
    double accuracy = 0;             // cross-validated accuracy of a tree on all cues
    bool carries = false;            // accuracy beats chance by the margin
    std::vector<CueScore> cues;      // in the order given
    std::vector<GroupScore> groups;  // in order of first appearance
    std::vector<int> predicted;      // out-of-fold class of every photo (all cues)
    int folds = 0;                   // folds used
};

// labels: one class 0..classes-1 per photo, every column as long. Errors: columns of another
// length, no columns, a label out of range, fewer than two classes with photos, fewer than four
// photos, a tree's min_leaf or max_depth outside 0..1e9.
Result<ShortcutReport> find_shortcuts(std::span<const CueColumn> cues, std::span<const int> labels, int classes,
                                      const ShortcutOptions& options = {});

}  // namespace sl

// fuzz/model_card_fuzzer.cpp: a model card (core/model/model_card.h), the JSON the page fetches and
// the CLI reads beside the model (?card= points the page at any card). A card that parses is
// then used as the app uses it: its input tensor made from a photo, its outputs turned into
// probabilities.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/image/tensor.h"
#include "core/model/model_card.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto card = sl::parse_model_card(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!card) return 0;
    assert(card->num_classes() >= 2);
    (void)card->model_file_for("webgpu");
    const std::vector<float> outputs(size_t(card->outputs_per_image()), 0.25f);
    assert(card->class_probabilities(outputs).size() == size_t(card->num_classes()));
    // The input tensor, where it is small enough to make quickly (cards allow 4096 x 4096).
    if (card->input.tensor_size() <= 3 * 64 * 64) {
        sl::Image photo{5, 3, std::vector<uint8_t>(5 * 3 * 3, 200)};
        std::vector<float> tensor(card->input.tensor_size());
        sl::image_to_tensor(photo, card->input, tensor.data());
    }
    return 0;
}

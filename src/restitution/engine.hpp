#pragma once
// The restitution engine: pure computation, no I/O. From the contributions it finds exact and
// near duplicates (campaigns), clusters the de-duplicated contributions into themes per group,
// labels them, picks quotes and counts them over time and by département.
// The same corpus, parameters and seed give the same result with any number of threads.
#include <functional>
#include <string>
#include <string_view>

#include "restitution/model.hpp"

namespace passerelle::restitution {

// stage: "analyse", "doublons", "themes", "synthese"; done out of total. Called from one thread
// at a time (analysis reports from its workers, under a lock).
using Progress = std::function<void(std::string_view stage, size_t done, size_t total)>;

struct Masks {
  std::string email = "[…]";
  std::string phone = "[…]";
};

Restitution run(const Corpus& corpus, const Parameters& params, const Masks& masks = {}, const Progress& progress = {});

// Replaces e-mail addresses and phone numbers (French forms: 0X XX XX XX XX with spaces, dots
// or dashes, +33 / 0033 prefixes, and any run of 9 to 15 digits starting with 0 or +).
std::string mask_personal_data(std::string_view text, const Masks& masks);

}  // namespace passerelle::restitution

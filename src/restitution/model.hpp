#pragma once
// The restitution of a consultation: what goes in (contributions), the parameters, and what comes
// out (campaigns, themes, volumes), shared by the engine, the readers and the writers.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace passerelle::restitution {

inline constexpr int64_t no_date = std::numeric_limits<int64_t>::min();
inline constexpr uint32_t none = UINT32_MAX;

struct Contribution {
  std::string id;
  std::string text;
  std::string zip;       // postal code as given ("" when absent)
  int64_t date = no_date;  // Unix seconds (UTC)
  uint32_t group = 0;    // index in Corpus::groups
  uint32_t channel = 0;  // index in Corpus::channels
  uint32_t line = 0;     // line of the record in the input (first line of a multi-line CSV record)
};

// A problem met while reading: the record is skipped, or (warning) kept with a repair.
struct InputIssue {
  uint32_t line = 0;
  std::string kind;  // catalogue key suffix: "empty_text", "invalid_utf8", "too_long", ...
  bool skipped = true;
};

struct Corpus {
  std::vector<Contribution> items;
  std::vector<std::string> groups{""};    // group 0 is "no group" when no --group-field
  std::vector<std::string> channels{""};  // channel 0 is "not stated"
  std::vector<InputIssue> issues;         // at most max_listed_issues per kind are kept…
  std::vector<std::pair<std::string, size_t>> issue_counts;  // …but every one is counted here
  size_t records = 0;                     // records read (kept + skipped)
  std::string format;                     // "jsonl", "csv" (with its separator)
  // Records left out on purpose before the analysis (a consultation's hidden, pending, withdrawn
  // and trashed contributions): only counted, in the method section and the JSON.
  std::vector<std::pair<std::string, size_t>> excluded;
};

struct Parameters {
  uint64_t seed = 1;
  unsigned threads = 1;
  // Duplicates and campaigns.
  size_t campaign_min_words = 10;   // shorter identical texts count as separate people
  size_t campaign_min_size = 2;     // contributions in a group of near-duplicates to call it a campaign
  unsigned shingle_words = 2;
  unsigned minhash_bands = 20;
  unsigned minhash_rows = 3;
  double jaccard_threshold = 0.6;
  // Themes.
  unsigned themes = 0;              // 0: chosen by silhouette within [min_themes, max_themes]
  unsigned min_themes = 3;
  unsigned max_themes = 12;
  size_t min_units_for_themes = 20; // a group with fewer units gets a single theme
  size_t kmeans_sample = 20000;     // units the final k-means trains on (all are then assigned)
  size_t selection_sample = 2000;   // units the k-means of the choice of k train on
  size_t silhouette_sample = 800;   // units whose silhouette is measured
  unsigned kmeans_iterations = 25;
  unsigned selection_iterations = 10;  // iterations of each k-means tried when choosing k
  size_t min_df = 2;
  double max_df = 0.5;
  size_t max_terms = 20000;
  size_t label_terms = 3;
  size_t keywords = 10;
  size_t quotes = 3;
  size_t quote_max_chars = 600;     // longer quotes are cut at a word boundary, with "…"
};

struct Campaign {
  uint32_t id = 0;
  uint32_t group = 0;
  size_t size = 0;              // contributions
  size_t exact_copies = 0;      // contributions identical (after normalisation) to the representative
  int64_t first = no_date, last = no_date;
  uint32_t representative = 0;  // contribution index
  uint32_t theme = none;
  double share = 0;             // size / contributions of its group
};

struct Quote {
  uint32_t contribution = 0;
  std::string text;  // masked (e-mails, phone numbers) and possibly cut
  double cosine = 0;
};

struct Count {
  std::string key;
  size_t count = 0;
};

struct Theme {
  uint32_t id = 0;
  uint32_t group = 0;
  std::string label;
  std::vector<std::string> keywords;
  size_t units = 0;          // a campaign counts once
  size_t contributions = 0;  // every contribution, campaign members included
  size_t campaign_contributions = 0;
  double share = 0;          // units / units of its group
  double cohesion = 0;       // mean cosine of its units to its centre
  std::vector<Quote> quotes;
  std::vector<size_t> trend;         // units per period (Restitution::periods)
  std::vector<Count> departements;   // units per département, most first
};

struct GroupResult {
  uint32_t group = 0;
  std::string name;
  size_t contributions = 0;
  size_t units = 0;
  size_t campaigns = 0;
  size_t campaign_contributions = 0;
  size_t short_texts = 0;  // below campaign_min_words
  unsigned k = 0;
  bool k_automatic = true;
  std::vector<std::pair<unsigned, double>> silhouettes;
  size_t vocabulary = 0;
  std::vector<uint32_t> themes;  // theme ids
};

struct Assignment {
  uint32_t campaign = none;
  uint32_t theme = none;
  uint16_t words = 0;           // capped at 65535
  bool exact_duplicate = false; // identical to an earlier contribution of its group
  std::string departement;      // "" when unknown
  bool departement_ambiguous = false;
};

struct Restitution {
  Parameters parameters;
  size_t contributions = 0;
  size_t units = 0;
  size_t campaign_contributions = 0;
  size_t exact_duplicates = 0;
  size_t short_texts = 0;
  size_t with_date = 0, with_zip = 0, zip_unknown = 0, zip_ambiguous = 0;
  std::string period_unit;          // "day", "week", "month" ("" without dates)
  std::vector<int64_t> periods;     // start of each period (Unix seconds, UTC)
  std::vector<size_t> timeline;     // contributions per period
  std::vector<Count> departements;  // contributions per département, most first
  std::vector<Count> channels;      // contributions per channel
  std::vector<GroupResult> groups;
  std::vector<Campaign> campaigns;  // largest first
  std::vector<Theme> themes;
  std::vector<Assignment> assignments;  // one per contribution, in input order
};

}  // namespace passerelle::restitution

#include "restitution/controversy.hpp"

#include <algorithm>
#include <map>

namespace passerelle::restitution {

double division_score(const Balance& b) {
  auto pos = [](int64_t v) { return std::max<int64_t>(0, v); };
  double split = 2.0 * static_cast<double>(std::min(pos(b.agree), pos(b.disagree)) + std::min(pos(b.arguments_for), pos(b.arguments_against)));
  double all = static_cast<double>(pos(b.agree) + pos(b.mixed) + pos(b.disagree) + pos(b.arguments_for) + pos(b.arguments_against) + 2);
  return split / all;
}

int64_t engagement(const Balance& b) { return b.agree + b.mixed + b.disagree + b.support + b.arguments_for + b.arguments_against; }

std::vector<Controversy> rank_controversies(const std::vector<Candidate>& candidates, size_t per_theme) {
  struct Scored {
    double score;
    int64_t engagement;
    int64_t id;
  };
  std::map<uint32_t, std::vector<Scored>> by_theme;
  for (const auto& c : candidates) {
    double s = division_score(c.balance);
    if (s > 0) by_theme[c.theme].push_back({s, engagement(c.balance), c.contribution});
  }
  std::vector<Controversy> out;
  for (auto& [theme, list] : by_theme) {
    auto better = [](const Scored& a, const Scored& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.engagement != b.engagement) return a.engagement > b.engagement;
      return a.id < b.id;
    };
    size_t n = std::min(per_theme, list.size());
    std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(n), list.end(), better);
    for (size_t i = 0; i < n; ++i) out.push_back({list[i].id, theme, list[i].score});
  }
  return out;
}

}  // namespace passerelle::restitution

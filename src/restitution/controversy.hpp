#pragma once
// The controversy map ("cartographie des controverses"): how much a contribution divides the
// people who reacted to it, from the split of its votes and the balance of its arguments for
// and against. Pure, no I/O; the definition is in docs/restitution.md ("Dans la plateforme").
#include <cstddef>
#include <cstdint>
#include <vector>

namespace passerelle::restitution {

// What people did with one contribution: opinion votes (d'accord / mitigé / pas d'accord) or
// supports, and the published arguments on each side.
struct Balance {
  int64_t agree = 0, mixed = 0, disagree = 0, support = 0;
  int64_t arguments_for = 0, arguments_against = 0;
};

// Division score in [0, 1):
//   (2·min(agree, disagree) + 2·min(for, against)) / (agree + mixed + disagree + for + against + 2)
// 0 when every reaction goes one way; close to 1 when many people split evenly. Mixed votes count
// in the denominator only (ambivalence is not division); supports, which have no opposite, do
// not enter the score (in support mode only the arguments can divide). The constant 2 keeps a
// contribution with one vote on each side below one with fifty on each side.
double division_score(const Balance& b);
// Everyone who reacted (votes of any kind and arguments): the tie-break between equal scores.
int64_t engagement(const Balance& b);

struct Candidate {
  int64_t contribution = 0;
  uint32_t theme = 0;
  Balance balance;
};
struct Controversy {
  int64_t contribution = 0;
  uint32_t theme = 0;
  double score = 0;
};

// Per theme, the `per_theme` contributions that divide most (score > 0 only): by score, then
// engagement, then the smaller number; themes in increasing order.
std::vector<Controversy> rank_controversies(const std::vector<Candidate>& candidates, size_t per_theme);

}  // namespace passerelle::restitution

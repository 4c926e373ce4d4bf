#pragma once
// Deep pages without paying for OFFSET. A list is a walk: one or more segments, each the rows of
// a WHERE clause in the order of an integer key whose last column is the row's id. The walk keeps
// in memory the key of every kAnchorStep-th row (an anchor), found once by stepping through the
// index, so that page N is a seek to the anchor before it plus fewer than kAnchorStep index
// steps. Anchors belong to one state of the data: they are dropped when the database's change
// marker moves, so a page is always what OFFSET would have given.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db/database.hpp"

namespace passerelle::db {

struct KeysetSegment {
  std::string from_where;         // "FROM contributions c WHERE c.process_id = ? AND …"
  Params params;                  // of from_where
  std::vector<std::string> key;   // integer expressions, as indexed; the last one is the id
  bool descending = false;
  // Bounds on the leading key, in the walk's direction: from `start` (inclusive), before `stop`.
  // Given here rather than in from_where, so that a query from an anchor has one bound on that
  // side: SQLite seeks with one of two lower bounds, not the tighter.
  std::optional<int64_t> start, stop;
};

inline constexpr int64_t kAnchorStep = 100;

// The ids of rows [offset, offset + limit) of the walk through `segments`, in order.
std::vector<int64_t> keyset_page(Database& db, Connection& conn, const std::vector<KeysetSegment>& segments,
                                 int64_t offset, int64_t limit);

// Forgets every anchor (tests; memory is otherwise bounded by kept walks and their depth).
void keyset_forget();

}  // namespace passerelle::db

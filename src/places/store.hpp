#pragma once
// Places in the database (SQLite or PostgreSQL), with every source record they were read from
// (docs/places.md). A record from a source already known updates that source; else it joins the
// first place it is the same place as (merge.hpp), else it makes a new place. The merged values
// are recomputed from the sources each time.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "places/model.hpp"
#include "platform/db/database.hpp"

namespace passerelle::places {

enum class SaveKind { created, merged, updated };
struct Saved {
  int64_t place_id = 0;
  SaveKind kind = SaveKind::created;
};

// Runs on the caller's connection, inside the caller's transaction (an import is one).
Saved save(db::Connection& conn, const Source& source, int64_t now);
// Adds (or, for a known (source, source_id), replaces) a source of one given place, without
// looking for the same place elsewhere: an accepted correction is a source of its place.
void attach(db::Connection& conn, int64_t place_id, const Source& source, int64_t now);

std::optional<Place> find(db::Connection& conn, int64_t id);
std::optional<Place> find(db::Database& db, int64_t id);
// Every place by increasing id, with its sources, in batches.
void each(db::Connection& conn, const std::function<void(const Place&)>& fn);
int64_t count(db::Connection& conn);
// The source records of a place, oldest first.
std::vector<Source> sources_of(db::Connection& conn, int64_t place_id);

// A record's 32 values as a JSON object of its non-empty fields, and back.
std::string record_to_json(const Record& r);
Record record_from_json(std::string_view json);
// Shortest text that reads back as the same double ("45.952791").
std::string format_coordinate(double v);

}  // namespace passerelle::places

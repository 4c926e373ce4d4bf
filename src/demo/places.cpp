#include "demo/places.hpp"

#include "places/import.hpp"
#include "platform/core/resources.hpp"

namespace passerelle::demo {

namespace {
constexpr const char* kFiles[] = {
    "data/places/lieux/charente-20230711.json",
    "data/places/lieux/bus-france-services-charente-20231003.json",
    "data/places/lieux/nouvelle-caledonie-20240320.json",
};
}  // namespace

int seed_places(db::Database& db) {
  int created = 0;
  for (const char* path : kFiles) {
    auto bytes = resources::find(path);
    if (!bytes) continue;
    std::string file(path);
    std::string stem = file.substr(file.find_last_of('/') + 1);
    stem = stem.substr(0, stem.find_last_of('.'));
    {
      auto conn = db.read();
      if (!conn->query("SELECT 1 FROM place_sources WHERE file = ? LIMIT 1", {stem}).empty()) continue;
    }
    places::ImportOptions options;
    options.format = places::Format::v0_json;
    options.skip_invalid = true;  // every row of these files is valid (docs/places.md); a bad one is left out
    auto report = places::import_file(db, file, *bytes, options);
    created += static_cast<int>(report.created);
  }
  return created;
}

}  // namespace passerelle::demo

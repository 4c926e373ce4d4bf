// libFuzzer target for the reader of other instances' open data (feed::parse_json): whatever
// the bytes, no crash and no hang; an accepted feed respects the limits, has unique ids and only
// content that passes practices::validate, and written back as JSON it reads the same again.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "practices/feed_in.hpp"
#include "practices/feed_out.hpp"

namespace practices = passerelle::practices;
namespace feed = passerelle::practices::feed;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  feed::Limits limits;
  limits.max_entries = 50;
  auto parsed = feed::parse_json(bytes, limits);
  if (!parsed) {
    if (parsed.error().message_key.rfind("federation.feed_", 0) != 0) __builtin_trap();
    return 0;
  }
  if (parsed->practices.size() > limits.max_entries) __builtin_trap();
  std::set<std::string> ids;
  std::vector<practices::Practice> again;
  for (const auto& p : parsed->practices) {
    if (p.id.empty() || p.id.size() > limits.max_id || !ids.insert(p.id).second) __builtin_trap();
    if (!practices::valid_http_url(p.url)) __builtin_trap();
    passerelle::Errors errors;
    auto content = practices::validate(p.input, errors);
    if (!content) __builtin_trap();
    practices::Practice copy;
    static_cast<practices::Content&>(copy) = *content;
    copy.id = static_cast<int64_t>(again.size() + 1);
    copy.territory_name = p.territory_name;
    copy.updated_at = p.updated_at;
    copy.created_at = p.updated_at;
    again.push_back(std::move(copy));
  }
  feed::Instance instance{parsed->instance_name, "https://instance.example"};
  auto round = feed::parse_json(feed::to_json(instance, again, parsed->generated_at), limits);
  if (!round || round->practices.size() != again.size()) __builtin_trap();
  (void)feed::to_atom(instance, again, {}, parsed->generated_at);
  (void)feed::to_csv(instance, again);
  return 0;
}

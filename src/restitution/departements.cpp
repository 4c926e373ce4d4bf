#include "restitution/departements.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace passerelle::restitution {
namespace detail {
extern const char* const postal_table;
extern const char* const departement_names;
}  // namespace detail

namespace {

struct Tables {
  std::unordered_map<std::string, std::vector<std::string>> by_postal;
  std::unordered_map<std::string, std::string> names;
  std::unordered_map<std::string, int64_t> population;
  Tables() {
    std::string_view all(detail::postal_table);
    for (size_t start = 0; start < all.size();) {
      size_t end = all.find(';', start);
      if (end == std::string_view::npos) end = all.size();
      std::string_view entry = all.substr(start, end - start);
      size_t colon = entry.find(':');
      if (colon != std::string_view::npos) {
        std::vector<std::string> deps;
        std::string_view list = entry.substr(colon + 1);
        for (size_t s = 0; s <= list.size();) {
          size_t e = list.find(',', s);
          if (e == std::string_view::npos) e = list.size();
          deps.emplace_back(list.substr(s, e - s));
          s = e + 1;
        }
        by_postal.emplace(std::string(entry.substr(0, colon)), std::move(deps));
      }
      start = end + 1;
    }
    std::string_view n(detail::departement_names);
    for (size_t start = 0; start < n.size();) {
      size_t end = n.find(';', start);
      if (end == std::string_view::npos) end = n.size();
      std::string_view entry = n.substr(start, end - start);
      size_t colon = entry.find(':'), second = entry.find(':', colon + 1);
      if (second != std::string_view::npos) {
        std::string code(entry.substr(0, colon));
        names.emplace(code, std::string(entry.substr(second + 1)));
        std::string_view digits = entry.substr(colon + 1, second - colon - 1);
        int64_t people = 0;
        std::from_chars(digits.data(), digits.data() + digits.size(), people);
        if (people > 0) population.emplace(std::move(code), people);  // 0: unknown
      }
      start = end + 1;
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

std::vector<std::string> departements_of_postal_code(std::string_view postal_code) {
  std::string code;
  for (char c : postal_code) {
    if (c == ' ' || c == '\t') continue;
    if (c < '0' || c > '9') return {};
    code += c;
  }
  if (code.size() == 4) code.insert(code.begin(), '0');
  if (code.size() != 5) return {};
  auto it = tables().by_postal.find(code);
  return it == tables().by_postal.end() ? std::vector<std::string>{} : it->second;
}

std::string departement_name(std::string_view code) {
  auto it = tables().names.find(std::string(code));
  return it == tables().names.end() ? std::string(code) : it->second;
}

std::optional<int64_t> departement_population(std::string_view code) {
  auto it = tables().population.find(std::string(code));
  if (it == tables().population.end()) return std::nullopt;
  return it->second;
}

}  // namespace passerelle::restitution

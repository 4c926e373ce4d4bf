#include "platform/log.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <string>

#include "platform/core/strings.hpp"

namespace passerelle::log {
namespace {
std::atomic<bool> quiet{false};

void write(std::string_view level, std::string_view event, Fields fields) {
  if (quiet && level == "info") return;
  char when[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line = "{\"time\":\"" + std::string(when) + "\",\"level\":\"" + std::string(level) + "\",\"event\":\"" +
                     str::json_escape(event) + "\"";
  for (const auto& [k, v] : fields) line += ",\"" + str::json_escape(k) + "\":\"" + str::json_escape(v) + "\"";
  line += "}\n";
  std::fputs(line.c_str(), stderr);
}
}  // namespace

void info(std::string_view event, Fields fields) { write("info", event, fields); }
void warn(std::string_view event, Fields fields) { write("warn", event, fields); }
void error(std::string_view event, Fields fields) { write("error", event, fields); }
void set_quiet(bool q) { quiet = q; }

}  // namespace passerelle::log

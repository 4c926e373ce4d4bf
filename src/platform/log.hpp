#pragma once
// Structured logs: one JSON object per line on standard error, easy to ship and to grep.
#include <initializer_list>
#include <string_view>
#include <utility>

namespace passerelle::log {

using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

void info(std::string_view event, Fields fields = {});
void warn(std::string_view event, Fields fields = {});
void error(std::string_view event, Fields fields = {});
void set_quiet(bool quiet);  // tests and benchmarks keep stderr for failures

}  // namespace passerelle::log

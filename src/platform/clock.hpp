#pragma once
#include <chrono>
#include <cstdint>

namespace passerelle {
// Unix time in seconds: the unit stored in both databases (portable, sortable, no time zone).
inline int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace passerelle

// libFuzzer target for the Markdown renderer (cmark + our URL allow-list): whatever the text,
// the HTML has only cmark's tags and attributes, no script, no event handler, no href/src with
// a dangerous scheme (tests/fuzz/markdown_invariants.hpp), and rendering is deterministic.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "markdown_invariants.hpp"
#include "platform/html/markdown.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string out = passerelle::html::render_markdown(text).html;
  if (auto problem = passerelle::markdown_invariants::html_problem(out); !problem.empty()) {
    std::fprintf(stderr, "unsafe HTML (%s):\n%s\n", problem.c_str(), out.c_str());
    __builtin_trap();
  }
  // The per-thread memo must give back exactly what a fresh render gives.
  if (passerelle::html::render_markdown(text).html != out) __builtin_trap();
  return 0;
}

#include "restitution/command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <malloc.h>
#include <unistd.h>

#include "platform/i18n/catalog.hpp"
#include "platform/i18n/format.hpp"
#include "restitution/engine.hpp"
#include "restitution/report.hpp"
#include "restitution/writer.hpp"

namespace passerelle::restitution {
namespace {

std::string tr(std::string_view key, i18n::Args args = {}) { return i18n::Catalog::instance().tr(i18n::Locale::fr, key, args); }

// A bar redrawn in place on a terminal; elsewhere (logs, CI) one plain line per stage and step.
class ProgressDisplay {
 public:
  ProgressDisplay() : tty_(isatty(STDERR_FILENO) != 0) {}
  void update(std::string_view stage, size_t done, size_t total) {
    int percent = total ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)) : 100;
    std::string label = tr("restitution.stage_" + std::string(stage));
    if (tty_) {
      int filled = percent / 4;
      std::string bar(static_cast<size_t>(filled), '#');
      bar.resize(25, '.');
      std::fprintf(stderr, "\r%-28s [%s] %3d %%", label.c_str(), bar.c_str(), percent);
      if (done >= total) std::fprintf(stderr, "\n");
      std::fflush(stderr);
      return;
    }
    // Plain lines: at the start and end of each stage and every 25 %.
    int step = percent / 25;
    if (stage != last_stage_ || step != last_step_) {
      std::fprintf(stderr, "%s : %d %%\n", label.c_str(), percent);
      last_stage_ = std::string(stage);
      last_step_ = step;
    }
  }

 private:
  bool tty_;
  std::string last_stage_;
  int last_step_ = -1;
};

std::string error_text(const Error& e) { return i18n::Catalog::instance().tr(i18n::Locale::fr, e.message_key, e.args); }

}  // namespace

int run_command(const CommandOptions& options) {
  // The engine frees its per-block buffers (about a megabyte each) as it merges them into the
  // global arrays. With glibc's adaptive threshold those buffers end up on the heap, whose freed
  // memory stays resident: analysis and merge results then coexist at the peak. A fixed
  // threshold keeps them mmapped, so each free gives its pages back at once.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  auto started = std::chrono::steady_clock::now();
  ProgressDisplay progress;
  ReadOptions read = options.read;
  read.threads = options.params.threads;
  auto corpus = options.load ? options.load()
                             : read_file(options.input, read, [&](size_t bytes, size_t total) { progress.update("lecture", bytes, total); });
  if (!corpus) {
    std::cerr << "passerelle : " << error_text(corpus.error()) << "\n";
    return 1;
  }
  progress.update("lecture", 1, 1);
  for (const auto& [kind, count] : corpus->issue_counts)
    std::cerr << tr("restitution.cli_issue", {{"kind", tr("restitution.issue_" + kind)}, {"count", std::to_string(count)}}) << "\n";
  size_t shown = 0;
  for (const auto& issue : corpus->issues) {
    if (shown++ >= 10) break;
    std::cerr << tr("restitution.cli_issue_line", {{"line", std::to_string(issue.line)}, {"kind", tr("restitution.issue_" + issue.kind)}})
              << "\n";
  }
  Masks masks{tr("restitution.mask_email"), tr("restitution.mask_phone")};
  Restitution result = run(*corpus, options.params, masks,
                           [&](std::string_view stage, size_t done, size_t total) { progress.update(stage, done, total); });
  std::string name = options.load ? options.source_name : std::filesystem::path(options.input).filename().string();
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back("report.html", render_report(result, *corpus, name, i18n::Locale::fr));
  files.emplace_back("restitution.json", to_json(result, *corpus, name));
  files.emplace_back("assignments.csv", to_csv(result, *corpus));
  if (auto s = write_directory(options.out, files); !s) {
    std::cerr << "passerelle : " << error_text(s.error()) << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", seconds);
  std::cout << tr("restitution.cli_done", {{"contributions", std::to_string(result.contributions)},
                                          {"campaigns", std::to_string(result.campaigns.size())},
                                          {"themes", std::to_string(result.themes.size())},
                                          {"dir", options.out}, {"seconds", buf}})
            << "\n";
  return 0;
}

}  // namespace passerelle::restitution

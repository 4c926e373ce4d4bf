#pragma once
// `passerelle restitution --input FILE --out DIR`: reads, computes, writes the three outputs.
#include <functional>
#include <string>

#include "restitution/model.hpp"
#include "restitution/reader.hpp"

namespace passerelle::restitution {

struct CommandOptions {
  std::string input;
  // Instead of `input`: contributions already in memory (a consultation of the database), with
  // the name the report gives its source.
  std::function<Result<Corpus>()> load;
  std::string source_name;
  std::string out;
  ReadOptions read;
  Parameters params;
};

// Returns the process exit code (0 done, 1 refused: the message is on standard error).
int run_command(const CommandOptions& options);

}  // namespace passerelle::restitution

#pragma once
// `passerelle restitution --input FILE --out DIR`: reads, computes, writes the three outputs.
#include <string>

#include "restitution/model.hpp"
#include "restitution/reader.hpp"

namespace passerelle::restitution {

struct CommandOptions {
  std::string input;
  std::string out;
  ReadOptions read;
  Parameters params;
};

// Returns the process exit code (0 done, 1 refused: the message is on standard error).
int run_command(const CommandOptions& options);

}  // namespace passerelle::restitution

// Process-wide set-up for the unit tests: libsodium initialised, info logs silenced (errors
// still reach stderr, where a failing test shows them).
#include <gtest/gtest.h>

#include "platform/log.hpp"
#include "platform/security/crypto.hpp"

namespace {
class Environment : public ::testing::Environment {
 public:
  void SetUp() override {
    passerelle::security::init();
    passerelle::log::set_quiet(true);
  }
};
const auto* const registered = ::testing::AddGlobalTestEnvironment(new Environment);
}  // namespace

#pragma once
#include <optional>
#include <string>

#include "platform/result.hpp"

namespace passerelle::accounts {

inline constexpr const char* kProfileTypes[] = {"citoyen", "association", "entreprise", "organisme-public", "elu"};
bool valid_profile_type(std::string_view t);
bool valid_email(std::string_view email);
constexpr size_t kMinPasswordLength = 10;
constexpr size_t kMaxPasswordLength = 512;

struct SignUp {
  std::string email;
  std::string display_name;
  std::string profile_type = "citoyen";
  std::string password;
  std::string territory_slug;  // optional: joins that territory as citoyen, charter accepted
  bool charter_accepted = false;
};

// Field-by-field checks of a sign-up form.
void validate(const SignUp& s, Errors& errors);
void validate_password(std::string_view password, std::string_view field, Errors& errors);

}  // namespace passerelle::accounts

#include "accounts/model.hpp"

#include "platform/core/strings.hpp"

namespace passerelle::accounts {

bool valid_profile_type(std::string_view t) {
  for (const char* p : kProfileTypes)
    if (t == p) return true;
  return false;
}

bool valid_email(std::string_view e) {
  if (e.size() < 3 || e.size() > 254) return false;
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) return false;
  auto domain = e.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.') return false;
  for (char c : e)
    if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  return true;
}

void validate_password(std::string_view password, std::string_view field, Errors& errors) {
  if (password.size() < kMinPasswordLength) errors.push_back(Error::validation(std::string(field), "account.password_too_short"));
  else if (password.size() > kMaxPasswordLength) errors.push_back(Error::validation(std::string(field), "account.password_too_long"));
}

void validate(const SignUp& s, Errors& errors) {
  if (!valid_email(s.email)) errors.push_back(Error::validation("email", "account.email_invalid"));
  auto name = str::trim(s.display_name);
  if (name.empty() || name.size() > 120) errors.push_back(Error::validation("display_name", "account.name_required"));
  if (!valid_profile_type(s.profile_type)) errors.push_back(Error::validation("profile_type", "account.profile_invalid"));
  validate_password(s.password, "password", errors);
  if (!s.territory_slug.empty() && !s.charter_accepted) errors.push_back(Error::validation("charter", "account.charter_required"));
}

}  // namespace passerelle::accounts

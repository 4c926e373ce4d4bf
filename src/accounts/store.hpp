#pragma once
#include <optional>
#include <string>
#include <vector>

#include "accounts/model.hpp"
#include "platform/db/database.hpp"
#include "platform/web/app.hpp"

namespace passerelle::accounts {

// Creates the account (not confirmed) and queues the confirmation e-mail.
Result<int64_t> sign_up(db::Database& db, const SignUp& s, const std::string& public_url, Errors& errors);
// Creates a confirmed account from the command line or an administrator.
Result<int64_t> create_confirmed(db::Database& db, std::string_view email, std::string_view display_name, std::string_view password,
                                 bool platform_admin);
Status confirm_email(db::Database& db, std::string_view token);
// Verifies e-mail and password; unconfirmed or erased accounts cannot sign in.
Result<int64_t> authenticate(db::Database& db, std::string_view email, std::string_view password);
// Always succeeds from the caller's view (no account enumeration); mails a link if the account exists.
void request_password_reset(db::Database& db, std::string_view email, const std::string& public_url);
Status reset_password(db::Database& db, std::string_view token, std::string_view new_password);

Status grant_role(db::Database& db, int64_t user_id, int64_t territory_id, web::Role role, std::optional<int64_t> actor);
Status revoke_role(db::Database& db, int64_t user_id, int64_t territory_id, web::Role role, int64_t actor);
std::optional<int64_t> find_user_id(db::Database& db, std::string_view email);
Status update_profile(db::Database& db, int64_t user_id, std::string_view display_name, std::string_view profile_type, std::string_view locale);

struct ApiToken {
  int64_t id;
  std::string name;
  int64_t created_at;
  std::optional<int64_t> last_used_at;
};
// Returns the token in clear, shown once.
std::string create_api_token(db::Database& db, int64_t user_id, std::string_view name);
std::vector<ApiToken> list_api_tokens(db::Database& db, int64_t user_id);
void revoke_api_token(db::Database& db, int64_t user_id, int64_t token_id);

// RGPD: everything we hold about the person, as JSON.
std::string export_json(db::Database& db, int64_t user_id);
// RGPD: erases personal data; what the person published stays, signed "compte supprimé".
Status erase(db::Database& db, int64_t user_id, std::string_view password);

}  // namespace passerelle::accounts

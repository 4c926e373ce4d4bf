#include "accounts/store.hpp"

#include <nlohmann/json.hpp>

#include "platform/clock.hpp"
#include "platform/core/strings.hpp"
#include "platform/i18n/catalog.hpp"
#include "platform/security/crypto.hpp"
#include "platform/services.hpp"

namespace passerelle::accounts {

namespace {
constexpr int64_t kConfirmLifetime = 7 * 24 * 3600;
constexpr int64_t kResetLifetime = 3600;

std::string normalise_email(std::string_view e) { return str::lower_ascii(str::trim(e)); }

std::string issue_token(db::Connection& conn, int64_t user_id, std::string_view purpose, int64_t lifetime) {
  std::string token = security::random_token();
  conn.exec("INSERT INTO one_time_tokens (token_hash, user_id, purpose, expires_at) VALUES (?, ?, ?, ?)",
            {security::token_digest(token), user_id, purpose, unix_now() + lifetime});
  return token;
}

// Marks a one-time token used and returns its account, or nothing if unknown, used or expired.
std::optional<int64_t> consume_token(db::Connection& conn, std::string_view token, std::string_view purpose) {
  auto rows = conn.query(
      "UPDATE one_time_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id",
      {unix_now(), security::token_digest(token), purpose, unix_now()});
  if (rows.empty()) return std::nullopt;
  return rows[0].int64(0);
}

std::string mail_text(std::string_view key, i18n::Args args) { return i18n::Catalog::instance().tr(i18n::Locale::fr, key, args); }
}  // namespace

Result<int64_t> sign_up(db::Database& db, const SignUp& s, const std::string& public_url, Errors& errors) {
  validate(s, errors);
  std::optional<int64_t> territory_id;
  if (!s.territory_slug.empty()) {
    auto conn = db.read();
    auto rows = conn->query("SELECT id FROM territories WHERE slug = ?", {s.territory_slug});
    if (rows.empty()) errors.push_back(Error::validation("territory", "account.territory_unknown"));
    else territory_id = rows[0].int64(0);
  }
  if (!errors.empty()) return errors.front();
  std::string hash = security::hash_password(s.password);  // slow on purpose: outside the write lock
  std::string email = normalise_email(s.email);
  try {
    return db.transaction([&](db::Connection& conn) {
      int64_t now = unix_now();
      auto rows = conn.query(
          "INSERT INTO users (email, display_name, profile_type, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
          {email, str::trim(s.display_name), s.profile_type, hash, now});
      int64_t id = rows[0].int64(0);
      if (territory_id)
        conn.exec("INSERT INTO memberships (user_id, territory_id, role, charter_accepted_at, created_at) VALUES (?, ?, 'citoyen', ?, ?)",
                  {id, *territory_id, now, now});
      std::string token = issue_token(conn, id, "confirm", kConfirmLifetime);
      std::string link = public_url + "/confirmation?jeton=" + token;
      mail::enqueue(conn, email, mail_text("mail.confirm.subject", {}), mail_text("mail.confirm.body", {{"link", link}}));
      return Result<int64_t>(id);
    });
  } catch (const db::ConstraintViolation&) {
    Error e = Error::conflict("email", "account.email_taken");
    errors.push_back(e);
    return e;
  }
}

Result<int64_t> create_confirmed(db::Database& db, std::string_view email, std::string_view display_name, std::string_view password,
                                 bool platform_admin) {
  Errors errors;
  if (!valid_email(email)) return Error::validation("email", "account.email_invalid");
  validate_password(password, "password", errors);
  if (!errors.empty()) return errors.front();
  std::string hash = security::hash_password(password);
  try {
    auto conn = db.write();
    int64_t now = unix_now();
    auto rows = conn->query(
        "INSERT INTO users (email, display_name, profile_type, password_hash, email_confirmed_at, is_platform_admin, created_at) "
        "VALUES (?, ?, 'citoyen', ?, ?, ?, ?) RETURNING id",
        {normalise_email(email), display_name, hash, now, platform_admin, now});
    return rows[0].int64(0);
  } catch (const db::ConstraintViolation&) {
    return Error::conflict("email", "account.email_taken");
  }
}

Status confirm_email(db::Database& db, std::string_view token) {
  return db.transaction([&](db::Connection& conn) -> Status {
    auto user = consume_token(conn, token, "confirm");
    if (!user) return Error::validation("jeton", "account.token_invalid");
    conn.exec("UPDATE users SET email_confirmed_at = ? WHERE id = ? AND email_confirmed_at IS NULL", {unix_now(), *user});
    return Ok{};
  });
}

Result<int64_t> authenticate(db::Database& db, std::string_view email, std::string_view password) {
  db::Rows rows;
  {
    auto conn = db.read();
    rows = conn->query("SELECT id, password_hash, email_confirmed_at FROM users WHERE email = ? AND deleted_at IS NULL", {normalise_email(email)});
  }
  // Same work whether or not the account exists, so timing does not reveal accounts.
  static const std::string dummy = security::hash_password("mot de passe factice pour égaliser le temps");
  if (rows.empty() || rows[0].null(1)) {
    security::verify_password(dummy, password);
    return Error{ErrorKind::unauthorized, "account.login_failed", "email", {}};
  }
  if (!security::verify_password(rows[0].text(1), password)) return Error{ErrorKind::unauthorized, "account.login_failed", "email", {}};
  if (rows[0].null(2)) return Error{ErrorKind::forbidden, "account.not_confirmed", "email", {}};
  return rows[0].int64(0);
}

void request_password_reset(db::Database& db, std::string_view email, const std::string& public_url) {
  std::string normalised = normalise_email(email);
  db.transaction([&](db::Connection& conn) {
    auto rows = conn.query("SELECT id FROM users WHERE email = ? AND deleted_at IS NULL", {normalised});
    if (rows.empty()) return;
    std::string token = issue_token(conn, rows[0].int64(0), "reset", kResetLifetime);
    std::string link = public_url + "/mot-de-passe/nouveau?jeton=" + token;
    mail::enqueue(conn, normalised, mail_text("mail.reset.subject", {}), mail_text("mail.reset.body", {{"link", link}}));
  });
}

Status reset_password(db::Database& db, std::string_view token, std::string_view new_password) {
  Errors errors;
  validate_password(new_password, "password", errors);
  if (!errors.empty()) return errors.front();
  std::string hash = security::hash_password(new_password);
  return db.transaction([&](db::Connection& conn) -> Status {
    auto user = consume_token(conn, token, "reset");
    if (!user) return Error::validation("jeton", "account.token_invalid");
    // Receiving the mail proves the address too.
    conn.exec("UPDATE users SET password_hash = ?, email_confirmed_at = COALESCE(email_confirmed_at, ?) WHERE id = ?", {hash, unix_now(), *user});
    sessions::destroy_all_for_user(conn, *user);
    audit::record(conn, *user, std::nullopt, "account.password_reset", std::to_string(*user));
    return Ok{};
  });
}

Status grant_role(db::Database& db, int64_t user_id, int64_t territory_id, web::Role role, std::optional<int64_t> actor) {
  db.transaction([&](db::Connection& conn) {
    conn.exec("INSERT INTO memberships (user_id, territory_id, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
              {user_id, territory_id, web::role_name(role), unix_now()});
    audit::record(conn, actor, territory_id, "role.grant", std::to_string(user_id), web::role_name(role));
  });
  return Ok{};
}

Status revoke_role(db::Database& db, int64_t user_id, int64_t territory_id, web::Role role, int64_t actor) {
  db.transaction([&](db::Connection& conn) {
    conn.exec("DELETE FROM memberships WHERE user_id = ? AND territory_id = ? AND role = ?", {user_id, territory_id, web::role_name(role)});
    audit::record(conn, actor, territory_id, "role.revoke", std::to_string(user_id), web::role_name(role));
  });
  return Ok{};
}

std::optional<int64_t> find_user_id(db::Database& db, std::string_view email) {
  auto conn = db.read();
  auto rows = conn->query("SELECT id FROM users WHERE email = ? AND deleted_at IS NULL", {normalise_email(email)});
  if (rows.empty()) return std::nullopt;
  return rows[0].int64(0);
}

Status update_profile(db::Database& db, int64_t user_id, std::string_view display_name, std::string_view profile_type, std::string_view locale) {
  if (str::trim(display_name).empty() || display_name.size() > 120) return Error::validation("display_name", "account.name_required");
  if (!valid_profile_type(profile_type)) return Error::validation("profile_type", "account.profile_invalid");
  if (locale != "fr" && locale != "en") return Error::validation("locale", "account.locale_invalid");
  auto conn = db.write();
  conn->exec("UPDATE users SET display_name = ?, profile_type = ?, locale = ? WHERE id = ?", {str::trim(display_name), profile_type, locale, user_id});
  return Ok{};
}

std::string create_api_token(db::Database& db, int64_t user_id, std::string_view name) {
  std::string token = security::random_token();
  auto conn = db.write();
  conn->exec("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
             {user_id, name.empty() ? std::string_view("jeton") : name, security::token_digest(token), unix_now()});
  return token;
}

std::vector<ApiToken> list_api_tokens(db::Database& db, int64_t user_id) {
  auto conn = db.read();
  std::vector<ApiToken> out;
  for (auto r : conn->query("SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY id", {user_id}))
    out.push_back({r.int64(0), r.str(1), r.int64(2), r.opt_int(3)});
  return out;
}

void revoke_api_token(db::Database& db, int64_t user_id, int64_t token_id) {
  auto conn = db.write();
  conn->exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ?", {unix_now(), token_id, user_id});
}

std::string export_json(db::Database& db, int64_t user_id) {
  auto conn = db.read();
  nlohmann::json out;
  auto u = conn->query("SELECT id, email, display_name, profile_type, locale, created_at, email_confirmed_at, is_platform_admin FROM users WHERE id = ?", {user_id});
  if (u.empty()) return "{}";
  out["compte"] = {{"id", u[0].int64(0)},          {"email", u[0].str(1)},           {"nom_affiche", u[0].str(2)},
                   {"type_de_profil", u[0].str(3)}, {"langue", u[0].str(4)},          {"cree_le", u[0].int64(5)},
                   {"email_confirme_le", u[0].opt_int(6) ? nlohmann::json(*u[0].opt_int(6)) : nlohmann::json()},
                   {"administrateur_plateforme", u[0].int64(7) != 0}};
  out["roles"] = nlohmann::json::array();
  for (auto r : conn->query("SELECT t.slug, m.role, m.charter_accepted_at, m.created_at FROM memberships m JOIN territories t ON t.id = m.territory_id WHERE m.user_id = ?", {user_id}))
    out["roles"].push_back({{"territoire", r.str(0)}, {"role", r.str(1)}, {"charte_acceptee_le", r.opt_int(2) ? nlohmann::json(*r.opt_int(2)) : nlohmann::json()}, {"depuis", r.int64(3)}});
  out["sessions"] = nlohmann::json::array();
  for (auto r : conn->query("SELECT created_at, expires_at FROM sessions WHERE user_id = ?", {user_id}))
    out["sessions"].push_back({{"ouverte_le", r.int64(0)}, {"expire_le", r.int64(1)}});
  out["jetons_api"] = nlohmann::json::array();
  for (const auto& t : list_api_tokens(db, user_id)) out["jetons_api"].push_back({{"nom", t.name}, {"cree_le", t.created_at}});
  out["journal"] = nlohmann::json::array();
  for (auto r : conn->query("SELECT at, action, target FROM audit_log WHERE actor_user_id = ? ORDER BY id", {user_id}))
    out["journal"].push_back({{"date", r.int64(0)}, {"action", r.str(1)}, {"cible", r.str(2)}});
  out["format"] = "passerelle-export-rgpd-1";
  return out.dump(2);
}

Status erase(db::Database& db, int64_t user_id, std::string_view password) {
  std::string hash;
  {
    auto conn = db.read();
    auto rows = conn->query("SELECT password_hash FROM users WHERE id = ? AND deleted_at IS NULL", {user_id});
    if (rows.empty()) return Error::not_found();
    hash = rows[0].str(0);
  }
  if (!security::verify_password(hash, password)) return Error::validation("password", "account.password_wrong");
  db.transaction([&](db::Connection& conn) {
    int64_t now = unix_now();
    // The row stays so that published content keeps an author: "compte supprimé".
    conn.exec("UPDATE users SET email = ?, display_name = '', password_hash = NULL, locale = NULL, is_platform_admin = 0, deleted_at = ? WHERE id = ?",
              {"supprime-" + std::to_string(user_id) + "@invalid", now, user_id});
    conn.exec("DELETE FROM memberships WHERE user_id = ?", {user_id});
    conn.exec("DELETE FROM api_tokens WHERE user_id = ?", {user_id});
    conn.exec("DELETE FROM one_time_tokens WHERE user_id = ?", {user_id});
    sessions::destroy_all_for_user(conn, user_id);
    audit::record(conn, user_id, std::nullopt, "account.erase", std::to_string(user_id));
  });
  return Ok{};
}

}  // namespace passerelle::accounts

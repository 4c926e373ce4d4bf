#include "accounts/model.hpp"

#include <gtest/gtest.h>

#include "platform/i18n/catalog.hpp"

namespace accounts = passerelle::accounts;
using passerelle::Errors;

TEST(Email, Valid) {
  for (const char* e : {"a@b.fr", "camille.dupont@mairie-lyon.fr", "x+tag@sub.domaine.gouv.fr", "o'neil@example.com",
                        "A.B@EXAMPLE.FR"})
    EXPECT_TRUE(accounts::valid_email(e)) << e;
}

TEST(Email, Invalid) {
  std::string long_local(250, 'a');
  for (const std::string& e : std::vector<std::string>{"", "a", "a@", "@b.fr", "ab.fr", "a@@b.fr", "a@b@c.fr", "a@b", "a@.fr", "a@b.", "a b@c.fr", "a@b .fr",
                        "<a@b.fr>", "a\"@b.fr", "a,b@c.fr", "a;b@c.fr", "a\\b@c.fr", "a@b.fr\n", "\ta@b.fr", long_local + "@b.fr"})
    EXPECT_FALSE(accounts::valid_email(e)) << e;
}

TEST(ProfileType, KnownTypes) {
  for (const char* t : accounts::kProfileTypes) EXPECT_TRUE(accounts::valid_profile_type(t));
  for (const char* t : {"", "Citoyen", "admin", "organisme public"}) EXPECT_FALSE(accounts::valid_profile_type(t));
}

TEST(Password, LengthBounds) {
  Errors errors;
  accounts::validate_password(std::string(accounts::kMinPasswordLength, 'x'), "password", errors);
  accounts::validate_password(std::string(accounts::kMaxPasswordLength, 'x'), "password", errors);
  EXPECT_TRUE(errors.empty());
  accounts::validate_password(std::string(accounts::kMinPasswordLength - 1, 'x'), "nouveau", errors);
  accounts::validate_password(std::string(accounts::kMaxPasswordLength + 1, 'x'), "password", errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message_key, "account.password_too_short");
  EXPECT_EQ(errors[0].field, "nouveau");
  EXPECT_EQ(errors[1].message_key, "account.password_too_long");
}

namespace {
accounts::SignUp good() {
  accounts::SignUp s;
  s.email = "camille@exemple.fr";
  s.display_name = "Camille";
  s.profile_type = "association";
  s.password = "un mot de passe assez long";
  return s;
}
}  // namespace

TEST(SignUp, GoodFormHasNoErrors) {
  Errors errors;
  accounts::validate(good(), errors);
  EXPECT_TRUE(errors.empty());
  auto s = good();
  s.territory_slug = "lyon";
  s.charter_accepted = true;
  accounts::validate(s, errors);
  EXPECT_TRUE(errors.empty());
}

TEST(SignUp, EveryFieldIsChecked) {
  accounts::SignUp s;
  s.email = "pas-un-courriel";
  s.display_name = "  \t ";
  s.profile_type = "roi";
  s.password = "court";
  s.territory_slug = "lyon";
  Errors errors;
  accounts::validate(s, errors);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : errors) got.emplace_back(e.field, e.message_key);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"email", "account.email_invalid"},
                                                                   {"display_name", "account.name_required"},
                                                                   {"profile_type", "account.profile_invalid"},
                                                                   {"password", "account.password_too_short"},
                                                                   {"charter", "account.charter_required"}}));
  for (const auto& e : errors) {
    EXPECT_TRUE(passerelle::i18n::Catalog::instance().has(passerelle::i18n::Locale::fr, e.message_key)) << e.message_key;
    EXPECT_TRUE(passerelle::i18n::Catalog::instance().has(passerelle::i18n::Locale::en, e.message_key)) << e.message_key;
  }
}

TEST(SignUp, DisplayNameLength) {
  auto s = good();
  s.display_name = std::string(120, 'n');
  Errors errors;
  accounts::validate(s, errors);
  EXPECT_TRUE(errors.empty());
  s.display_name = std::string(121, 'n');
  accounts::validate(s, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "display_name");
}

TEST(SignUp, CharterOnlyMattersWhenJoiningATerritory) {
  auto s = good();
  s.charter_accepted = false;
  Errors errors;
  accounts::validate(s, errors);
  EXPECT_TRUE(errors.empty());
}

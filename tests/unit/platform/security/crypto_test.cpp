#include "platform/security/crypto.hpp"

#include <gtest/gtest.h>

#include <set>

namespace security = passerelle::security;

TEST(Password, HashVerifyAndRefuse) {
  std::string hash = security::hash_password("correct horse battery staple é");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(security::verify_password(hash, "correct horse battery staple é"));
  EXPECT_FALSE(security::verify_password(hash, "correct horse battery staple e"));
  EXPECT_FALSE(security::verify_password(hash, ""));
  // A salt per hash: the same password never gives the same string twice.
  EXPECT_NE(security::hash_password("correct horse battery staple é"), hash);
}

TEST(Password, PasswordsWithNulBytesAreWholeStrings) {
  std::string with_nul("abc\0def", 7);
  std::string hash = security::hash_password(with_nul);
  EXPECT_TRUE(security::verify_password(hash, with_nul));
  EXPECT_FALSE(security::verify_password(hash, "abc"));
}

TEST(Password, GarbageHashesNeverVerify) {
  EXPECT_FALSE(security::verify_password("", "x"));
  EXPECT_FALSE(security::verify_password("$argon2id$v=19$m=65536,t=2,p=1$garbage", "x"));
  EXPECT_FALSE(security::verify_password("plain-text-password", "plain-text-password"));
}

TEST(RandomToken, FortyThreeUrlSafeCharactersAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string t = security::random_token();
    ASSERT_EQ(t.size(), 43u) << t;
    for (char c : t) ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << t;
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(TokenDigest, IsBlake2b256InHex) {
  EXPECT_EQ(security::token_digest("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(security::token_digest(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  std::string t = security::random_token();
  EXPECT_EQ(security::token_digest(t), security::token_digest(t));
  EXPECT_NE(security::token_digest(t), t);
}

TEST(Mac, IsHmacSha512256UnderAHashedKey) {
  EXPECT_EQ(security::mac("secret", "visiteur:xyz"), "54dc74b3d34f5e4919b188f29450a8c4e84c6e9ff87f3b0f6e8e05fd8f2b881e");
  EXPECT_NE(security::mac("secret2", "visiteur:xyz"), security::mac("secret", "visiteur:xyz"));
  EXPECT_NE(security::mac("secret", "visiteur:xyZ"), security::mac("secret", "visiteur:xyz"));
  EXPECT_EQ(security::mac("", "").size(), 64u);
}

TEST(ConstantTimeEqual, ComparesWholeStrings) {
  EXPECT_TRUE(security::constant_time_equal("", ""));
  EXPECT_TRUE(security::constant_time_equal("abc", "abc"));
  EXPECT_FALSE(security::constant_time_equal("abc", "abd"));
  EXPECT_FALSE(security::constant_time_equal("abc", "ab"));
  EXPECT_FALSE(security::constant_time_equal("", "a"));
}

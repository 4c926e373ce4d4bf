#pragma once
// libsodium wrappers: Argon2id password hashes, random tokens, keyed hashes.
#include <string>
#include <string_view>

namespace passerelle::security {

void init();  // sodium_init, once at start-up

// Argon2id with libsodium's interactive limits; the result embeds its own parameters and salt.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);

// 32 random bytes as 43 URL-safe characters: session ids, one-time and API tokens.
std::string random_token();
// What we store instead of a token: a leaked table cannot be replayed as cookies or tokens.
std::string token_digest(std::string_view token);
// HMAC-SHA-512/256 of `message` under `key` (hex); used for CSRF tokens.
std::string mac(std::string_view key, std::string_view message);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace passerelle::security

#include "platform/security/crypto.hpp"

#include <sodium.h>

#include <stdexcept>

#include "platform/core/strings.hpp"

namespace passerelle::security {

void init() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium ne s'initialise pas");
}

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("mémoire insuffisante pour Argon2id");
  return out;
}

bool verify_password(std::string_view hash, std::string_view password) {
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string token_digest(std::string_view token) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  return str::hex(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

std::string mac(std::string_view key, std::string_view message) {
  unsigned char k[crypto_auth_KEYBYTES] = {};
  crypto_generichash(k, sizeof k, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr, 0);
  unsigned char out[crypto_auth_BYTES];
  crypto_auth(out, reinterpret_cast<const unsigned char*>(message.data()), message.size(), k);
  return str::hex(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace passerelle::security

// libFuzzer target for the decoders of outside text: urlencoded forms and query strings
// (http::Fields), percent-decoding, and the Cookie header parser (Request::cookie).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/core/strings.hpp"
#include "platform/http/message.hpp"

namespace http = passerelle::http;
namespace str = passerelle::str;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // Forms and query strings: every decoded name can be looked up again.
  auto fields = http::Fields::parse(bytes);
  for (const auto& [name, value] : fields.all())
    if (!fields.has(name)) __builtin_trap();

  // Percent-decoding never grows the text, and encoding then decoding gives it back.
  if (str::url_decode(bytes).size() > bytes.size() || str::url_decode(bytes, false).size() > bytes.size()) __builtin_trap();
  if (str::url_decode(str::url_encode(bytes), false) != bytes) __builtin_trap();
  (void)str::valid_utf8(bytes);

  // The same bytes as a Cookie header and as a urlencoded body, the way handlers read them.
  http::BeastRequest raw{http::bhttp::verb::post, "/", 11};
  raw.set(http::bhttp::field::cookie, std::string(bytes));
  raw.set(http::bhttp::field::content_type, "application/x-www-form-urlencoded");
  raw.body() = std::string(bytes);
  http::Request req(raw);
  if (req.form().all().size() != fields.all().size()) __builtin_trap();
  // Look up the first cookie name the header offers, plus the session cookie.
  auto eq = bytes.find('=');
  std::string_view first = passerelle::str::trim(bytes.substr(0, eq == std::string_view::npos ? 0 : eq));
  if (auto semi = first.rfind(';'); semi != std::string_view::npos) first = passerelle::str::trim(first.substr(semi + 1));
  (void)req.cookie(first);
  (void)req.cookie("passerelle_session");
  return 0;
}

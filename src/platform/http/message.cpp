#include "platform/http/message.hpp"

#include <unistd.h>

#include "platform/core/strings.hpp"

namespace passerelle::http {

FileBody::~FileBody() {
  if (fd >= 0) ::close(fd);
}

Fields Fields::parse(std::string_view encoded) {
  Fields f;
  if (encoded.empty()) return f;
  for (auto part : str::split(encoded, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos) f.items_.emplace_back(str::url_decode(part), "");
    else f.items_.emplace_back(str::url_decode(part.substr(0, eq)), str::url_decode(part.substr(eq + 1)));
  }
  return f;
}

std::optional<std::string_view> Fields::get(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::string_view Request::header(bhttp::field f) const {
  auto it = raw.find(f);
  return it == raw.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

std::string_view Request::header(std::string_view name) const {
  auto it = raw.find(boost::beast::string_view(name.data(), name.size()));
  return it == raw.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (auto it = raw.find(bhttp::field::cookie); it != raw.end() && it->name() == bhttp::field::cookie; ++it) {
    std::string_view all(it->value().data(), it->value().size());
    for (auto part : str::split(all, ';')) {
      part = str::trim(part);
      auto eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::string Request::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

const Fields& Request::query_fields() const {
  if (!query_cache_) query_cache_ = Fields::parse(query);
  return *query_cache_;
}

const Fields& Request::form() const {
  if (!form_cache_) {
    auto type = header(bhttp::field::content_type);
    bool urlencoded = type.substr(0, 33) == "application/x-www-form-urlencoded";
    form_cache_ = urlencoded ? Fields::parse(raw.body()) : Fields();
  }
  return *form_cache_;
}

}  // namespace passerelle::http

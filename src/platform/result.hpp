#pragma once
// Errors that are part of normal life (validation, not found, conflict...) travel as values.
// Exceptions are kept for what cannot go on (database unreachable, corrupted state).
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace passerelle {

enum class ErrorKind { validation, not_found, conflict, forbidden, unauthorized, rate_limited, unavailable };

struct Error {
  ErrorKind kind = ErrorKind::validation;
  std::string message_key;  // key in the message catalogue
  std::string field;        // form or JSON field concerned, if any
  std::vector<std::pair<std::string, std::string>> args;  // values substituted in the message

  static Error validation(std::string field, std::string key) { return {ErrorKind::validation, std::move(key), std::move(field), {}}; }
  static Error not_found(std::string key = "error.not_found") { return {ErrorKind::not_found, std::move(key), {}, {}}; }
  static Error conflict(std::string field, std::string key) { return {ErrorKind::conflict, std::move(key), std::move(field), {}}; }
  static Error forbidden(std::string key = "error.forbidden") { return {ErrorKind::forbidden, std::move(key), {}, {}}; }
  Error&& with(std::string name, std::string value) && { args.emplace_back(std::move(name), std::move(value)); return std::move(*this); }
};

// Several field errors at once, as a form reports them.
using Errors = std::vector<Error>;

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace passerelle

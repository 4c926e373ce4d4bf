#pragma once
// HTTP/1.1 server on Boost.Beast: one io_context per core (each with its own SO_REUSEPORT
// acceptor, so connections spread over cores without a shared queue), keep-alive and
// pipelining, strict limits, a bounded pool for slow handlers, graceful shutdown.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "platform/http/metrics.hpp"
#include "platform/http/router.hpp"

namespace passerelle::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  unsigned io_threads = 0;        // 0: one per core
  unsigned worker_threads = 2;    // slow handlers
  unsigned worker_queue_max = 64; // beyond, 503 with Retry-After
  size_t header_limit = 16 * 1024;
  size_t body_limit = 1024 * 1024;
  std::chrono::milliseconds request_timeout{10000};  // from the first byte to a complete request
  std::chrono::milliseconds idle_timeout{60000};     // keep-alive connection with nothing to do
  std::chrono::milliseconds drain_timeout{10000};    // longest wait for requests in flight at shutdown
  size_t max_connections = 4096;
  bool trust_proxy = false;  // believe X-Forwarded-For / X-Forwarded-Proto
};

// Answers for what the router cannot answer itself (404, 405, 413, 500...).
struct ErrorPages {
  std::function<Response(Request&, unsigned status)> render;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics, ErrorPages errors);
  ~Server();
  // Binds; the chosen port is known after this (port 0 picks a free one).
  void bind();
  unsigned short port() const;
  // Serves until stop(); returns once requests in flight are answered.
  void run();
  // Safe from any thread or a signal handler's io_context.
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Runs the handler for one parsed request: routing, errors, metrics. Shared by the server
// and the fuzz target so that both exercise the same path.
Response dispatch(const Router& router, Request& req, const ErrorPages& errors, size_t* route_index);

// Turns raw bytes into a request the way the server does; false with a status on bad input.
struct ParseOutcome {
  bool complete = false;
  unsigned error_status = 0;  // 400, 413, 431 when refused
  std::string error;
};
ParseOutcome parse_request(std::string_view bytes, BeastRequest& out, size_t header_limit, size_t body_limit);

}  // namespace passerelle::http

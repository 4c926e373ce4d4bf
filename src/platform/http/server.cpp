#include "platform/http/server.hpp"

#include <utility>  // Boost 1.74 asio needs it with g++ 12
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

#include "platform/log.hpp"

namespace passerelle::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

void split_target(Request& req) {
  std::string_view target(req.raw.target().data(), req.raw.target().size());
  auto q = target.find('?');
  req.path = target.substr(0, q);
  req.query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

struct Worker;

}  // namespace

Match resolve(const Router& router, Request& req);
Response invoke(const Router& router, const Match& m, Request& req, const ErrorPages& errors, size_t* route_index);

Match resolve(const Router& router, Request& req) {
  split_target(req);
  if (req.path.empty() || req.path[0] != '/') return {};
  Match m = router.match(req);
  if (m.route) req.route_name = m.route->name;
  return m;
}

Response invoke(const Router& router, const Match& m, Request& req, const ErrorPages& errors, size_t* route_index) {
  *route_index = m.route ? router.index_of(m.route) : router.routes().size();
  if (req.path.empty() || req.path[0] != '/') return errors.render(req, 400);
  if (!m.route && m.path_known) {
    Response res = errors.render(req, 405);
    res.header("Allow", m.allow);
    return res;
  }
  if (!m.route) return errors.render(req, 404);
  try {
    return m.route->handler(req);
  } catch (const std::exception& e) {
    log::error("handler_failed", {{"route", m.route->name}, {"error", e.what()}});
    return errors.render(req, 500);
  }
}

Response dispatch(const Router& router, Request& req, const ErrorPages& errors, size_t* route_index) {
  Match m = resolve(router, req);
  return invoke(router, m, req, errors, route_index);
}

ParseOutcome parse_request(std::string_view bytes, BeastRequest& out, size_t header_limit, size_t body_limit) {
  ParseOutcome outcome;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(header_limit));
  parser.body_limit(body_limit);
  parser.eager(true);
  beast::error_code ec;
  size_t used = parser.put(asio::buffer(bytes.data(), bytes.size()), ec);
  (void)used;
  if (ec == bhttp::error::need_more) return outcome;
  if (ec == bhttp::error::header_limit) return {false, 431, "en-têtes trop grands"};
  if (ec == bhttp::error::body_limit) return {false, 413, "corps trop grand"};
  if (ec) return {false, 400, ec.message()};
  if (!parser.is_done()) return outcome;
  out = parser.release();
  outcome.complete = true;
  return outcome;
}

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  ErrorPages errors;
  std::atomic<bool> draining{false};
  std::atomic<int64_t> connections{0};
  asio::thread_pool workers;
  std::vector<std::unique_ptr<Worker>> io;
  unsigned short bound_port = 0;
  std::mutex stop_mutex;
  std::condition_variable stopped_cv;
  bool stopped = false;
  std::thread drain_guard;

  Impl(ServerOptions o, const Router& r, Metrics& m, ErrorPages e)
      : options(std::move(o)), router(r), metrics(m), errors(std::move(e)), workers(options.worker_threads) {}
};

namespace {

class Connection;

// One thread: its io_context, its acceptor, and the connections it owns.
struct Worker {
  Server::Impl& server;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  asio::steady_timer sweep_timer{ioc};
  std::list<std::weak_ptr<Connection>> connections;
  std::thread thread;

  const std::chrono::milliseconds sweep_every;  // see sweep()

  explicit Worker(Server::Impl& s)
      : server(s),
        sweep_every(std::clamp(std::min(s.options.request_timeout, s.options.idle_timeout) / 4, std::chrono::milliseconds(10),
                               std::chrono::milliseconds(250))) {}
  void accept();
  void sweep(bool now = false);
  void shutdown();
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Worker& worker, tcp::socket socket) : worker_(worker), socket_(std::move(socket)) {
    beast::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    socket_.set_option(tcp::no_delay(true), ec);
    ++worker_.server.metrics.open_connections;
  }
  ~Connection() {
    --worker_.server.metrics.open_connections;
    --worker_.server.connections;
  }

  void start() { read(); }

  // At shutdown: a connection waiting for its next request is closed now; one with a request
  // in progress finishes it and then closes.
  void close_if_idle() {
    if (idle_) cancel();
  }

  // Called by the worker's sweep: a connection past its deadline has its operations cancelled.
  void expire_if_late(std::chrono::steady_clock::time_point now) {
    if (now < deadline_) return;
    deadline_ = kNoDeadline;
    timed_out_ = true;
    cancel();
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(worker_.server.options.header_limit));
    // The largest limit of any route, so that an upload's Content-Length passes the header;
    // read_body() then applies the limit of the route actually asked for.
    parser_->body_limit(std::max(worker_.server.options.body_limit, worker_.server.router.largest_body_limit()));
    idle_ = buffer_.size() == 0;
    if (idle_ && worker_.server.draining) return close();
    if (!idle_) return read_request();  // pipelined: the next request is already here
    // Waiting for the first bytes under the idle deadline: the parser alone would report nothing
    // before a whole header, so a client trickling header bytes would never meet the request one.
    // A plain read (not a readiness wait) costs no epoll_ctl per keep-alive request.
    set_deadline(worker_.server.options.idle_timeout);
    socket_.async_read_some(buffer_.prepare(kFirstRead), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) {
        self->clear_deadline();
        return self->on_read_error(ec);
      }
      self->buffer_.commit(n);
      self->idle_ = false;
      self->read_request();
    });
  }

  // From the first byte, the whole request (header and body) must arrive within request_timeout.
  void read_request() {
    set_deadline(worker_.server.options.request_timeout);
    bhttp::async_read_header(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec || self->parser_->is_done()) return self->on_read(ec);
      self->read_body();
    });
  }

  // A body follows. Within the server's limit it is read at once; only a larger (or chunked)
  // body needs the route, since an upload route may take more (checked from the header).
  void read_body() {
    size_t limit = worker_.server.options.body_limit;
    auto length = parser_->content_length();
    if (!length || *length > limit) {
      Request head(parser_->get());
      Match m = resolve(worker_.server.router, head);
      if (m.route) limit = std::max(limit, m.route->body_limit);
    }
    if (length && *length > limit) {
      clear_deadline();
      return fail(413);
    }
    parser_->body_limit(limit);
    bhttp::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    clear_deadline();
    idle_ = false;
    if (ec) return on_read_error(ec);
    handle();
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) return fail(431);
    if (ec == bhttp::error::body_limit) return fail(413);
    if (timed_out_) return parser_->got_some() || buffer_.size() > 0 ? fail(408) : close();
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted || ec == bhttp::error::partial_message)
      return close();
    fail(400);
  }

  void fail(unsigned status) {
    BeastRequest empty;
    Request req(empty);
    req.remote_ip = remote_;
    Response res = worker_.server.errors.render(req, status);
    worker_.server.metrics.record(worker_.server.router.routes().size(), status, 0);
    write(std::move(res), false, false);
  }

  void handle() {
    request_ = parser_->release();
    started_ = std::chrono::steady_clock::now();
    // The request lives on this stack frame; only a slow route, answered later, moves it to the heap.
    Request req(request_);
    req.remote_ip = remote_;
    if (worker_.server.options.trust_proxy) {
      auto fwd = req.header("X-Forwarded-For");
      if (!fwd.empty()) req.remote_ip = std::string(fwd.substr(0, fwd.find(',')));
      req.secure = req.header("X-Forwarded-Proto") == "https";
    }
    bool keep_alive = request_.keep_alive();
    bool head = request_.method() == Method::head;
    // Slow routes go to the bounded pool; everything else answers on this thread.
    auto& server = worker_.server;
    Match m = resolve(server.router, req);
    if (m.route && m.route->slow) {
      if (server.metrics.worker_queue.load() >= static_cast<int64_t>(server.options.worker_queue_max)) {
        Response busy = server.errors.render(req, 503);
        busy.header("Retry-After", "5");
        finish(std::move(busy), server.router.index_of(m.route), keep_alive, head);
        return;
      }
      ++server.metrics.worker_queue;
      // The work guard keeps this io_context running until the answer is posted back: at
      // shutdown it may have nothing else left to do, and would return before writing it.
      asio::post(server.workers, [self = shared_from_this(), req = std::make_shared<Request>(std::move(req)), m, keep_alive, head,
                                  work = asio::make_work_guard(worker_.ioc)] {
        auto& srv = self->worker_.server;
        size_t route_index;
        Response res = invoke(srv.router, m, *req, srv.errors, &route_index);
        --srv.metrics.worker_queue;
        asio::post(self->worker_.ioc, [self, req, res = std::move(res), route_index, keep_alive, head]() mutable {
          self->finish(std::move(res), route_index, keep_alive, head);
        });
      });
      return;
    }
    size_t route_index;
    Response res = invoke(server.router, m, req, server.errors, &route_index);
    finish(std::move(res), route_index, keep_alive, head);
  }

  void finish(Response res, size_t route_index, bool keep_alive, bool head) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    worker_.server.metrics.record(route_index, res.status, seconds);
    write(std::move(res), keep_alive && !worker_.server.draining, head);
  }

  // Writes the head ourselves, byte for byte what Beast's message and serializer produced (status
  // line with Beast's reason phrase, Server, Content-Type, the handler's fields in order with values
  // trimmed of spaces and tabs, "Connection: close" when closing, Content-Length last), into a
  // buffer the connection reuses; head and body then go out in one gather write. This saves the
  // message object, one allocation per field and the serializer's machinery on every response.
  // The server owns Connection and Content-Length (Beast replaced a handler's own; none sets them).
  void write(Response res, bool keep_alive, bool head) {
    auto trimmed = [](std::string_view v) {
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      return v;
    };
    auto field = [&](std::string_view name, std::string_view value) {
      head_.append(name).append(": ").append(trimmed(value)).append("\r\n");
    };
    auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
    head_.assign("HTTP/1.1 ");
    head_ += static_cast<char>('0' + res.status / 100 % 10);
    head_ += static_cast<char>('0' + res.status / 10 % 10);
    head_ += static_cast<char>('0' + res.status % 10);
    head_.append(" ").append(reason.data(), reason.size()).append("\r\n");
    field("Server", "Passerelle");
    field("Content-Type", res.content_type);
    for (const auto& [k, v] : res.headers)
      if (!beast::iequals(k, "Connection") && !beast::iequals(k, "Content-Length")) field(k, v);
    if (!keep_alive) field("Connection", "close");
    field("Content-Length", std::to_string(res.file ? res.file->size : res.body.size()));
    head_.append("\r\n");
    if (res.file && !head) return write_file(std::move(res.file), keep_alive);
    body_ = head ? std::string() : std::move(res.body);  // must outlive the write
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
    set_deadline(worker_.server.options.request_timeout);
    asio::async_write(socket_, buffers, [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
      self->clear_deadline();
      self->body_ = std::string();  // an idle connection keeps no response body
      if (ec || !keep_alive) return self->close();
      self->read();
    });
  }

  // A file body: the head, then chunks read from the file at their offset, one write at a time
  // (each with its own deadline), so that memory stays at one chunk whatever the size.
  void write_file(std::shared_ptr<FileBody> file, bool keep_alive) {
    body_.resize(kFileChunk);
    set_deadline(worker_.server.options.request_timeout);
    asio::async_write(socket_, asio::buffer(head_), [self = shared_from_this(), file = std::move(file), keep_alive](beast::error_code ec, size_t) mutable {
      self->clear_deadline();
      if (ec) return self->close();
      self->send_chunk(std::move(file), 0, keep_alive);
    });
  }

  void send_chunk(std::shared_ptr<FileBody> file, uint64_t offset, bool keep_alive) {
    if (offset >= file->size) {
      body_ = std::string();
      if (!keep_alive) return close();
      return read();
    }
    ssize_t n = ::pread(file->fd, body_.data(), std::min<uint64_t>(kFileChunk, file->size - offset), static_cast<off_t>(offset));
    if (n <= 0) return close();  // the length was promised: a shorter file can only end the connection
    set_deadline(worker_.server.options.request_timeout);
    asio::async_write(socket_, asio::buffer(body_.data(), static_cast<size_t>(n)),
                      [self = shared_from_this(), file = std::move(file), next = offset + static_cast<uint64_t>(n), keep_alive](beast::error_code ec, size_t) mutable {
                        self->clear_deadline();
                        if (ec) return self->close();
                        self->send_chunk(std::move(file), next, keep_alive);
                      });
  }
  static constexpr size_t kFileChunk = 64 * 1024;

  // Deadlines are plain values checked by the worker's sweep, so that a request costs no timer
  // operation (three re-arms per request, each cancelling a wait and queueing a completion).
  void set_deadline(std::chrono::milliseconds after) {
    timed_out_ = false;
    deadline_ = std::chrono::steady_clock::now() + after;
  }
  void clear_deadline() { deadline_ = kNoDeadline; }

  void cancel() {
    beast::error_code ec;
    socket_.cancel(ec);
  }

  void close() {
    beast::error_code ec;
    clear_deadline();
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  Worker& worker_;
  tcp::socket socket_;
  static constexpr auto kNoDeadline = std::chrono::steady_clock::time_point::max();
  static constexpr size_t kFirstRead = 4096;
  std::chrono::steady_clock::time_point deadline_ = kNoDeadline;
  // Room for a header at the limit plus one read, so that the parser reports 431, not an overflow.
  beast::flat_buffer buffer_{worker_.server.options.header_limit + 8192};
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  BeastRequest request_;
  std::string head_, body_;  // the response being written; head_ keeps its capacity across responses
  std::string remote_;
  std::chrono::steady_clock::time_point started_;
  bool idle_ = true;
  bool timed_out_ = false;
};

void Worker::accept() {
  acceptor.async_accept(ioc, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      return accept();
    }
    auto& s = server;
    if (++s.connections > static_cast<int64_t>(s.options.max_connections)) {
      // Over the limit: a short answer, then close, so the client knows to come back later.
      --s.connections;
      ++s.metrics.rejected_connections;
      static const std::string busy =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 5\r\n"
          "Connection: close\r\nContent-Length: 44\r\n\r\nServeur saturé, réessayez dans un instant.\n";
      beast::error_code ignored;
      asio::write(socket, asio::buffer(busy), ignored);
      socket.close(ignored);
    } else {
      auto conn = std::make_shared<Connection>(*this, std::move(socket));
      connections.push_back(conn);  // the sweep forgets it once closed
      conn->start();
    }
    accept();
  });
}

// Every few milliseconds, connections past their deadline are cancelled and closed ones forgotten.
// The granularity (a quarter of the shortest timeout, 10 to 250 ms) is far below any timeout.
// When draining, the sweep stops once no connection is left, so that run() can return.
void Worker::sweep(bool now) {
  sweep_timer.expires_after(now ? std::chrono::milliseconds(0) : sweep_every);
  sweep_timer.async_wait([this](beast::error_code ec) {
    if (ec) return;
    auto now = std::chrono::steady_clock::now();
    connections.remove_if([now](const std::weak_ptr<Connection>& w) {
      auto c = w.lock();
      if (c) c->expire_if_late(now);
      return !c;
    });
    if (server.draining && connections.empty()) return;
    sweep();
  });
}

void Worker::shutdown() {
  beast::error_code ec;
  acceptor.close(ec);
  for (auto& w : connections)
    if (auto c = w.lock()) c->close_if_idle();
  sweep(true);  // with nothing in flight, run() returns without waiting for the next tick
}

}  // namespace

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, ErrorPages errors)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(errors))) {}

Server::~Server() = default;

void Server::bind() {
  auto& o = impl_->options;
  unsigned n = o.io_threads ? o.io_threads : std::max(1u, std::thread::hardware_concurrency());
  auto address = asio::ip::make_address(o.host);
  unsigned short port = o.port;
  for (unsigned i = 0; i < n; ++i) {
    auto w = std::make_unique<Worker>(*impl_);
    tcp::endpoint ep(address, port);
    w->acceptor.open(ep.protocol());
    w->acceptor.set_option(asio::socket_base::reuse_address(true));
    int one = 1;
    ::setsockopt(w->acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    w->acceptor.bind(ep);
    w->acceptor.listen(asio::socket_base::max_listen_connections);
    port = w->acceptor.local_endpoint().port();  // port 0: the others join the chosen port
    impl_->io.push_back(std::move(w));
  }
  impl_->bound_port = port;
}

unsigned short Server::port() const { return impl_->bound_port; }

void Server::run() {
  for (auto& w : impl_->io) {
    w->accept();
    w->sweep();
    w->thread = std::thread([&ioc = w->ioc] { ioc.run(); });
  }
  for (auto& w : impl_->io) w->thread.join();
  impl_->workers.join();
  {
    std::lock_guard lock(impl_->stop_mutex);
    impl_->stopped = true;
  }
  impl_->stopped_cv.notify_all();
  if (impl_->drain_guard.joinable()) impl_->drain_guard.join();
}

void Server::stop() {
  if (impl_->draining.exchange(true)) return;
  // Requests in flight get drain_timeout to finish; after that the io_contexts stop. Started
  // before the shutdown is posted, so that run() always finds this thread to join.
  impl_->drain_guard = std::thread([impl = impl_.get()] {
    std::unique_lock lock(impl->stop_mutex);
    if (!impl->stopped_cv.wait_for(lock, impl->options.drain_timeout, [impl] { return impl->stopped; }))
      for (auto& w : impl->io) w->ioc.stop();
  });
  for (auto& w : impl_->io) asio::post(w->ioc, [w = w.get()] { w->shutdown(); });
}

}  // namespace passerelle::http

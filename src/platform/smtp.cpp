// Minimal SMTP client for the outbox: plain SMTP to a relay (a local MTA or the territory's
// relay handles TLS and authentication). One connection per batch.
#include <utility>  // Boost 1.74 asio needs it with g++ 12
#include <boost/asio.hpp>

#include "platform/clock.hpp"
#include "platform/log.hpp"
#include "platform/services.hpp"

namespace passerelle::mail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class SmtpSession {
 public:
  SmtpSession(const SmtpConfig& cfg) : socket_(ioc_) {
    tcp::resolver resolver(ioc_);
    asio::connect(socket_, resolver.resolve(cfg.host, std::to_string(cfg.port)));
    // A relay that stops answering must not hold the job thread (and every other job) forever.
    timeval timeout{10, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    expect("220");
    command("HELO passerelle", "250");
  }
  ~SmtpSession() {
    try {
      command("QUIT", "221");
    } catch (...) {
    }
  }

  void send(const std::string& from, const std::string& to, const std::string& subject, const std::string& body) {
    command("MAIL FROM:<" + from + ">", "250");
    command("RCPT TO:<" + to + ">", "25");
    command("DATA", "354");
    std::string msg = "From: " + from + "\r\nTo: " + to + "\r\nSubject: =?UTF-8?B?" + base64(subject) +
                      "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
    // Dot-stuffing: a line starting with '.' gets a second one.
    std::string line;
    for (size_t i = 0; i <= body.size(); ++i) {
      if (i == body.size() || body[i] == '\n') {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line[0] == '.') msg += '.';
        msg += line + "\r\n";
        line.clear();
      } else {
        line += body[i];
      }
    }
    asio::write(socket_, asio::buffer(msg));
    command(".", "250");
  }

 void reset() { command("RSET", "250"); }

 private:
  static std::string base64(const std::string& s) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < s.size(); i += 3) {
      unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 | (unsigned char)s[i + 2];
      out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
    }
    if (i + 1 == s.size()) {
      unsigned v = (unsigned char)s[i] << 16;
      out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == s.size()) {
      unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8;
      out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
    }
    return out;
  }
  void command(const std::string& line, const std::string& expected) {
    asio::write(socket_, asio::buffer(line + "\r\n"));
    expect(expected);
  }
  void expect(const std::string& code) {
    // Multi-line replies end with "code SP"; read until such a line.
    while (true) {
      size_t n = asio::read_until(socket_, buf_, "\r\n");
      std::string reply(asio::buffers_begin(buf_.data()), asio::buffers_begin(buf_.data()) + static_cast<long>(n));
      buf_.consume(n);
      if (reply.rfind(code, 0) != 0) throw std::runtime_error("SMTP : réponse inattendue « " + reply.substr(0, reply.size() - 2) + " »");
      if (reply.size() > 3 && reply[3] == ' ') return;
    }
  }
  asio::io_context ioc_;
  tcp::socket socket_;
  asio::streambuf buf_;
};

}  // namespace

int send_pending(db::Database& db, const SmtpConfig& smtp, int batch) {
  if (smtp.host.empty()) return 0;
  db::Rows pending(0);
  {
    auto conn = db.read();
    pending = conn->query("SELECT id, recipient, subject, body FROM outbox WHERE sent_at IS NULL AND attempts < 5 ORDER BY id LIMIT ?", {batch});
  }
  if (pending.empty()) return 0;
  int sent = 0;
  try {
    SmtpSession session(smtp);
    for (auto row : pending) {
      try {
        session.send(smtp.from, row.str(1), row.str(2), row.str(3));
        auto conn = db.write();
        conn->exec("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?", {unix_now(), row.int64(0)});
        ++sent;
      } catch (const std::exception& e) {
        {
          auto conn = db.write();
          conn->exec("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?", {e.what(), row.int64(0)});
        }
        session.reset();  // the refused transaction must not leak into the next message
      }
    }
  } catch (const std::exception& e) {
    log::warn("smtp_unreachable", {{"host", smtp.host}, {"error", e.what()}});
  }
  return sent;
}

}  // namespace passerelle::mail

#include "platform/jobs.hpp"

#include "platform/clock.hpp"
#include "platform/log.hpp"

namespace passerelle::jobs {

constexpr int64_t kLeaseSeconds = 300;

int Scheduler::tick() {
  int ran = 0;
  next_check_.resize(jobs_.size(), 0);
  for (size_t i = 0; i < jobs_.size(); ++i) {
    const Job& job = jobs_[i];
    int64_t now = unix_now();
    if (job.has_work) {
      if (now < next_check_[i]) continue;
      next_check_[i] = now + job.interval_seconds;
      if (!job.has_work(db_)) continue;
    }
    int64_t slot = 0;
    {
      auto conn = db_.write();
      conn->exec("INSERT INTO jobs (name, interval_seconds, next_run_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                 {job.name, job.interval_seconds, now});
      auto due = conn->query("SELECT next_run_at FROM jobs WHERE name = ?", {job.name});
      slot = due[0].int64(0);
      // The claim: only one process can move the lease from free (or expired) to itself.
      int64_t claimed = conn->exec(
          "UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE name = ? AND next_run_at = ? AND next_run_at <= ? "
          "AND (lease_until IS NULL OR lease_until < ?)",
          {owner_, now + kLeaseSeconds, job.name, slot, now, now});
      if (claimed != 1) continue;
      // A slot whose owner died (lease expired) already has its row: the new owner takes it over.
      conn->exec(
          "INSERT INTO job_runs (job, slot, owner, started_at) VALUES (?, ?, ?, ?) ON CONFLICT (job, slot) DO UPDATE SET "
          "owner = excluded.owner, started_at = excluded.started_at, finished_at = NULL",
          {job.name, slot, owner_, now});
    }
    try {
      job.run(db_);
    } catch (const std::exception& e) {
      log::error("job_failed", {{"job", job.name}, {"error", e.what()}});
    }
    int64_t done = unix_now();
    auto conn = db_.write();
    conn->exec("UPDATE job_runs SET finished_at = ? WHERE job = ? AND slot = ?", {done, job.name, slot});
    conn->exec(
        "UPDATE jobs SET lease_owner = NULL, lease_until = NULL, last_run_at = ?, run_count = run_count + 1, "
        "next_run_at = ? WHERE name = ? AND lease_owner = ?",
        {done, std::max(slot + job.interval_seconds, done), job.name, owner_});
    ++ran;
  }
  return ran;
}

void purge_runs(db::Database& db, int64_t before) {
  db.write()->exec("DELETE FROM job_runs WHERE finished_at IS NOT NULL AND finished_at < ?", {before});
}

void Scheduler::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        tick();
      } catch (const std::exception& e) {
        log::error("scheduler_failed", {{"error", e.what()}});
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; });
    }
  });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace passerelle::jobs

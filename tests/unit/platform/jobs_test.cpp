// Scheduled jobs shared by several processes on one database (SQLite and PostgreSQL).
#include "platform/jobs.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "platform/clock.hpp"
#include "support/scratch_database.hpp"

namespace db = passerelle::db;
namespace jobs = passerelle::jobs;
using passerelle::unix_now;
using passerelle::testing::BackendTest;

namespace {

class JobsTest : public BackendTest {
 protected:
  int64_t count(const std::string& sql, const db::Params& params = {}) { return db().read()->query(sql, params)[0].int64(0); }
};

// Records which slot each run was for, whichever process ran it.
struct RunLog {
  std::mutex mutex;
  std::vector<std::pair<std::string, int64_t>> runs;  // owner, next_run_at seen at run time
  jobs::Job job(const std::string& name, int64_t interval, const std::string& owner, std::chrono::milliseconds work = {}) {
    return {name, interval, [this, name, owner, work](db::Database& d) {
              auto slot = d.read()->query("SELECT next_run_at FROM jobs WHERE name = ?", {name})[0].int64(0);
              if (work.count()) std::this_thread::sleep_for(work);
              std::lock_guard lock(mutex);
              runs.emplace_back(owner, slot);
            }};
  }
  size_t size() {
    std::lock_guard lock(mutex);
    return runs.size();
  }
};

}  // namespace

TEST_P(JobsTest, TwoProcessesRunADueJobOnce) {
  auto name = unique("courriels");
  auto other = scratch().open();  // a second process on the same database
  RunLog log;
  jobs::Scheduler a(db(), "processus-a"), b(*other, "processus-b");
  a.add(log.job(name, 3600, "a"));
  b.add(log.job(name, 3600, "b"));
  EXPECT_EQ(a.tick() + b.tick(), 1);
  EXPECT_EQ(a.tick() + b.tick(), 0);  // not due again before an hour
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.runs[0].first, "a");
  auto job_rows = db().read()->query("SELECT lease_owner, lease_until, run_count, next_run_at, last_run_at FROM jobs WHERE name = ?", {name});  // a Row points into its Rows
  ASSERT_FALSE(job_rows.empty());
  auto job = job_rows[0];
  EXPECT_TRUE(job.null(0));  // the lease is released
  EXPECT_TRUE(job.null(1));
  EXPECT_EQ(job.int64(2), 1);
  EXPECT_EQ(job.int64(3), log.runs[0].second + 3600);
  EXPECT_LE(std::abs(job.int64(4) - unix_now()), 5);
  auto run = db().read()->query("SELECT slot, owner, finished_at FROM job_runs WHERE job = ?", {name});
  ASSERT_EQ(run.size(), 1u);
  EXPECT_EQ(run[0].int64(0), log.runs[0].second);
  EXPECT_EQ(run[0].str(1), "processus-a");
  EXPECT_FALSE(run[0].null(2));
}

TEST_P(JobsTest, AJobWithNothingToDoIsNotClaimedAndWritesNothing) {
  auto name = unique("restitutions");
  RunLog log;
  bool pending = false;
  int asked = 0;
  jobs::Scheduler s(db(), "processus-a");
  auto job = log.job(name, 1, "a");
  job.has_work = [&](db::Database&) { ++asked; return pending; };
  s.add(job);
  std::string marker = db().change_marker();
  EXPECT_EQ(s.tick(), 0);
  EXPECT_EQ(s.tick(), 0);  // asked once per interval, not once per tick
  EXPECT_EQ(asked, 1);
  // No claim, no commit: the page cache keeps its pages. (PostgreSQL's marker is the cluster's
  // WAL position, which tests running beside this one move.)
  if (!postgres()) EXPECT_EQ(db().change_marker(), marker);
  EXPECT_TRUE(db().read()->query("SELECT 1 FROM jobs WHERE name = ?", {name}).empty());
  pending = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(s.tick(), 1);
  EXPECT_EQ(log.size(), 1u);
}

TEST_P(JobsTest, ConcurrentSchedulersRunEachSlotOnce) {
  auto name = unique("minute");
  auto other = scratch().open();
  RunLog log;
  jobs::Scheduler a(db(), "processus-a"), b(*other, "processus-b");
  // Each run takes a while, so that the two processes really overlap.
  a.add(log.job(name, 1, "a", std::chrono::milliseconds(30)));
  b.add(log.job(name, 1, "b", std::chrono::milliseconds(30)));
  std::atomic<bool> failed{false};
  auto loop = [&](jobs::Scheduler& s) {
    try {
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2600);
      while (std::chrono::steady_clock::now() < until) {
        s.tick();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    } catch (const std::exception& e) {
      failed = true;
      ADD_FAILURE() << e.what();
    }
  };
  int64_t first_second = unix_now();
  std::thread ta(loop, std::ref(a)), tb(loop, std::ref(b));
  ta.join();
  tb.join();
  int64_t last_second = unix_now();
  ASSERT_FALSE(failed);
  std::map<int64_t, int> per_slot;
  for (const auto& [owner, slot] : log.runs) ++per_slot[slot];
  for (const auto& [slot, n] : per_slot) {
    EXPECT_EQ(n, 1) << "slot " << slot << " ran " << n << " times";
    EXPECT_GE(slot, first_second);
    EXPECT_LE(slot, last_second);
  }
  EXPECT_GE(log.runs.size(), 2u);  // about one slot per second over 2.6 s
  EXPECT_EQ(count("SELECT COUNT(*) FROM job_runs WHERE job = ?", {name}), static_cast<int64_t>(log.runs.size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM job_runs WHERE job = ? AND finished_at IS NULL", {name}), 0);
  EXPECT_EQ(count("SELECT run_count FROM jobs WHERE name = ?", {name}), static_cast<int64_t>(log.runs.size()));
}

TEST_P(JobsTest, HeldLeaseIsRespected) {
  auto name = unique("export");
  RunLog log;
  jobs::Scheduler s(db(), "processus-a");
  s.add(log.job(name, 3600, "a"));
  int64_t now = unix_now();
  db().write()->exec("INSERT INTO jobs (name, interval_seconds, next_run_at, lease_owner, lease_until) VALUES (?, 3600, ?, 'autre', ?)",
                     {name, now - 10, now + 300});
  EXPECT_EQ(s.tick(), 0);
  EXPECT_EQ(log.size(), 0u);
}

TEST_P(JobsTest, ExpiredLeaseOfACrashedProcessIsTakenOver) {
  auto name = unique("sauvegarde");
  RunLog log;
  jobs::Scheduler s(db(), "processus-b");
  s.add(log.job(name, 3600, "b"));
  // A process claimed the slot, recorded the run, then died: its lease ran out.
  int64_t now = unix_now(), slot = now - 400;
  db().write()->exec("INSERT INTO jobs (name, interval_seconds, next_run_at, lease_owner, lease_until) VALUES (?, 3600, ?, 'mort', ?)",
                     {name, slot, now - 100});
  db().write()->exec("INSERT INTO job_runs (job, slot, owner, started_at) VALUES (?, ?, 'mort', ?)", {name, slot, slot});
  EXPECT_EQ(s.tick(), 1);
  ASSERT_EQ(log.size(), 1u);
  auto runs = db().read()->query("SELECT slot, owner, finished_at FROM job_runs WHERE job = ?", {name});
  ASSERT_EQ(runs.size(), 1u);  // the unfinished slot, now run to its end
  EXPECT_EQ(runs[0].int64(0), slot);
  EXPECT_EQ(runs[0].str(1), "processus-b");
  EXPECT_FALSE(runs[0].null(2));
  auto job_rows = db().read()->query("SELECT lease_owner, next_run_at FROM jobs WHERE name = ?", {name});  // a Row points into its Rows
  ASSERT_FALSE(job_rows.empty());
  auto job = job_rows[0];
  EXPECT_TRUE(job.null(0));
  EXPECT_GE(job.int64(1), now);
  EXPECT_EQ(s.tick(), 0);
}

TEST_P(JobsTest, FailingJobStillReleasesItsLease) {
  auto name = unique("fragile");
  std::atomic<int> calls{0};
  jobs::Scheduler s(db(), "processus-a");
  s.add({name, 3600, [&](db::Database&) {
           ++calls;
           throw std::runtime_error("le relais SMTP ne répond pas (attendu par le test)");
         }});
  EXPECT_EQ(s.tick(), 1);
  EXPECT_EQ(calls.load(), 1);
  auto job_rows = db().read()->query("SELECT lease_owner, run_count FROM jobs WHERE name = ?", {name});  // a Row points into its Rows
  ASSERT_FALSE(job_rows.empty());
  auto job = job_rows[0];
  EXPECT_TRUE(job.null(0));
  EXPECT_EQ(job.int64(1), 1);
  EXPECT_EQ(s.tick(), 0);  // not retried before its next slot
}

TEST_P(JobsTest, SeveralJobsInOneScheduler) {
  auto first = unique("premier"), second = unique("second");
  RunLog log;
  jobs::Scheduler s(db(), "processus-a");
  s.add(log.job(first, 3600, "a"));
  s.add(log.job(second, 60, "a"));
  EXPECT_EQ(s.tick(), 2);
  EXPECT_EQ(s.tick(), 0);
}

TEST_P(JobsTest, BackgroundThreadRunsAndStops) {
  auto name = unique("fond");
  std::atomic<int> calls{0};
  jobs::Scheduler s(db(), "processus-a");
  s.add({name, 3600, [&](db::Database&) { ++calls; }});
  s.start();
  for (int i = 0; i < 200 && calls.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  s.stop();
  EXPECT_EQ(calls.load(), 1);
  s.stop();  // twice is harmless
}

INSTANTIATE_BACKENDS(JobsTest);

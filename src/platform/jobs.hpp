#pragma once
// Scheduled jobs shared by every process on one database: each run is claimed with a lease
// (an atomic UPDATE), so a job runs once per interval, not once per process.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/db/database.hpp"

namespace passerelle::jobs {

struct Job {
  std::string name;
  int64_t interval_seconds;
  std::function<void(db::Database&)> run;
  // Optional, read only: asked once per interval before a run is claimed. A claim writes (and so
  // empties the page cache); a frequent job with nothing to do must not.
  std::function<bool(db::Database&)> has_work = {};
};

// Deletes the record of runs finished before `before` (Unix seconds).
void purge_runs(db::Database& db, int64_t before);

class Scheduler {
 public:
  Scheduler(db::Database& db, std::string owner) : db_(db), owner_(std::move(owner)) {}
  ~Scheduler() { stop(); }
  void add(Job job) { jobs_.push_back(std::move(job)); }
  void start();
  void stop();
  // One pass over the jobs: claims and runs those that are due. Returns how many ran here.
  int tick();

 private:
  db::Database& db_;
  std::string owner_;
  std::vector<Job> jobs_;
  std::vector<int64_t> next_check_;  // per job with has_work: when to ask it again
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace passerelle::jobs

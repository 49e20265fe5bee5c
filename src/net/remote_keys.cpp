#include "net/remote_keys.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "net/openid_fetch.h"

namespace jwtgate {

namespace {

std::string duration_text(int64_t ms) {
  if (ms < 2'000) return std::to_string(ms) + " ms";
  if (ms < 120'000) return std::to_string(ms / 1000) + " s";
  if (ms < 7'200'000) return std::to_string(ms / 60'000) + " min";
  return std::to_string(ms / 3'600'000) + " h";
}

}  // namespace

std::string describe_unavailable(const RemoteSnapshot& snap, int64_t now_ms) {
  std::string out;
  for (const RemoteSource& s : snap) {
    std::string why;
    if (!s.attempted) {
      why = "the first key load has not finished";
    } else if (!s.keys) {
      why = "no keys were ever loaded (" + s.last_error + ")";
    } else if (now_ms >= s.usable_until_ms) {
      why = "its keys were last loaded " + duration_text(now_ms - s.last_success_ms) +
            " ago, beyond the maximum staleness of " +
            duration_text(s.usable_until_ms - s.last_success_ms) +
            (s.last_error.empty() ? std::string() : " (last attempt: " + s.last_error + ")");
    } else {
      continue;
    }
    if (!out.empty()) out += "; ";
    out += "keys of openid-config " + s.url + " are unavailable: " + why;
  }
  return out;
}

RemoteKeys::RemoteKeys(std::vector<std::string> urls, RemoteKeyOptions options, Publish publish)
    : options_(std::move(options)), publish_(std::move(publish)) {
  // A clock shared_ptr that never dangles: the system clock is a static.
  clock_ = options_.clock ? options_.clock
                          : std::shared_ptr<const Clock>(&system_clock(), [](const Clock*) {});
  for (std::string& u : urls)
    sources_.push_back(Source{std::move(u), RefreshSchedule(options_.schedule), nullptr, {}, {}, {}, {}});
}

RemoteKeys::~RemoteKeys() {
  closing_ = true;
  stop_thread();
}

std::shared_ptr<const RemoteSnapshot> RemoteKeys::snapshot_locked() const {
  auto snap = std::make_shared<RemoteSnapshot>();
  snap->reserve(sources_.size());
  for (const Source& s : sources_)
    snap->push_back(RemoteSource{s.url, s.keys, s.issuer, s.schedule.usable_until_ms(),
                                 s.schedule.loaded() ? s.schedule.last_success_ms() : -1,
                                 s.schedule.attempted(), s.last_error});
  return snap;
}

std::shared_ptr<const RemoteSnapshot> RemoteKeys::initial_snapshot() const {
  std::lock_guard<std::mutex> lk(mu_);
  return snapshot_locked();
}

bool RemoteKeys::begin_first_load_locked(int64_t now) {
  if (first_load_started_) return false;
  first_load_started_ = true;
  first_load_deadline_ = now + options_.first_load_timeout_ms;
  return true;
}

void RemoteKeys::wait_first_load() {
  std::unique_lock<std::mutex> lk(mu_);
  if (first_load_done_) return;
  if (begin_first_load_locked(clock_->steady_ms())) {
    // No refresher is at it: this validation loads, bounded by the shared
    // deadline (run_refresh caps every fetch of the first load by it).
    lk.unlock();
    std::lock_guard<std::mutex> r(refresh_mu_);
    run_refresh(false, nullptr);
    return;
  }
  const int64_t left = first_load_deadline_ - clock_->steady_ms();
  if (left <= 0) return;
  first_load_cv_.wait_for(lk, std::chrono::milliseconds(left), [&] { return first_load_done_; });
}

void RemoteKeys::note_kid_miss() {
  kid_misses_.fetch_add(1, std::memory_order_relaxed);
  const int64_t now = clock_->steady_ms();
  if (now < early_gate_ms_.load(std::memory_order_relaxed)) return;
  std::lock_guard<std::mutex> lk(mu_);
  bool granted = false;
  int64_t gate = std::numeric_limits<int64_t>::max();
  for (Source& s : sources_) {
    // Before the first load there is nothing to refetch: that load is coming.
    if (!s.schedule.attempted()) continue;
    granted = s.schedule.request_early(now) || granted;
    gate = std::min(gate, s.schedule.early_not_before_ms());
  }
  if (gate != std::numeric_limits<int64_t>::max()) early_gate_ms_.store(gate, std::memory_order_relaxed);
  if (granted) {
    wake_ = true;
    wake_cv_.notify_all();
  }
}

bool RemoteKeys::refresh(bool force, std::vector<std::string>* errors) {
  std::lock_guard<std::mutex> r(refresh_mu_);
  return run_refresh(force, errors);
}

bool RemoteKeys::run_refresh(bool force, std::vector<std::string>* errors) {
  std::vector<size_t> todo;
  bool first;
  int64_t deadline;
  {
    std::lock_guard<std::mutex> lk(mu_);
    const int64_t now = clock_->steady_ms();
    // Whoever refreshes first does the first load, under its deadline.
    begin_first_load_locked(now);
    first = !first_load_done_;
    deadline = first_load_deadline_;
    for (size_t i = 0; i < sources_.size(); ++i)
      if (force || sources_[i].schedule.due(now)) todo.push_back(i);
  }
  bool all_ok = true;
  for (size_t i : todo) {
    HttpLimits limits = options_.http;
    FetchedKeys got;
    std::string error;
    bool ok;
    if (first) limits.timeout_ms = std::min(limits.timeout_ms, deadline - clock_->steady_ms());
    if (limits.timeout_ms <= 0) {
      ok = false;
      error = "openid-config " + sources_[i].url + ": the first key load ran out of its " +
              std::to_string(options_.first_load_timeout_ms) + " ms";
    } else {
      // sources_[i].url never changes after construction: read without mu_.
      ok = fetch_openid_keys(sources_[i].url, limits, got, error, &closing_);
    }
    std::lock_guard<std::mutex> lk(mu_);
    Source& s = sources_[i];
    const int64_t now = clock_->steady_ms();
    ++fetches_;
    if (ok) {
      // An unchanged set keeps its KeySet object, so the validator sees the
      // same keys and keeps its verified-token cache.
      if (!(s.keys && got.jwks_text == s.jwks_text && got.issuer == s.issuer)) {
        s.keys = std::move(got.keys);
        s.jwks_text = std::move(got.jwks_text);
        s.issuer = std::move(got.issuer);
        s.warnings = std::move(got.warnings);
      }
      s.last_error.clear();
      s.schedule.on_success(now, got.freshness_ms);
      last_success_unix_ms_ = clock_->unix_ms();
    } else {
      ++failures_;
      s.last_error = error;
      s.schedule.on_failure(now);
      last_failure_unix_ms_ = clock_->unix_ms();
      if (errors) errors->push_back(error);
      all_ok = false;
    }
    early_gate_ms_.store(std::min(early_gate_ms_.load(std::memory_order_relaxed),
                                  s.schedule.early_not_before_ms()),
                         std::memory_order_relaxed);
  }
  if (!todo.empty() || first) {
    std::shared_ptr<const RemoteSnapshot> snap;
    {
      std::lock_guard<std::mutex> lk(mu_);
      snap = snapshot_locked();
    }
    // Published before first_load_done_ is set, so a validation woken below
    // finds the new keys in place.
    publish_(std::move(snap));
  }
  if (first) {
    std::lock_guard<std::mutex> lk(mu_);
    first_load_done_ = true;
    first_load_cv_.notify_all();
  }
  return all_ok;
}

bool RemoteKeys::start_thread(std::string* error) {
  std::lock_guard<std::mutex> lk(mu_);
  if (thread_.joinable()) return true;
  stop_ = false;
  try {
    thread_ = std::thread([this] { thread_main(); });
  } catch (const std::system_error& e) {
    if (error) *error = std::string("cannot start the key refresh thread: ") + e.what();
    return false;
  }
  return true;
}

void RemoteKeys::stop_thread() {
  std::thread t;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
    wake_cv_.notify_all();
    t = std::move(thread_);
  }
  t.join();
}

bool RemoteKeys::thread_running() const {
  std::lock_guard<std::mutex> lk(mu_);
  return thread_.joinable();
}

void RemoteKeys::thread_main() {
  std::unique_lock<std::mutex> lk(mu_);
  while (!stop_) {
    const int64_t now = clock_->steady_ms();
    int64_t next = std::numeric_limits<int64_t>::max();
    for (const Source& s : sources_) next = std::min(next, s.schedule.next_due_ms());
    if (next > now && !wake_) {
      // Look again at least once a minute: cheap, and robust to a clock
      // that does not advance like the condition variable's.
      const int64_t wait = std::min<int64_t>(next - now, 60'000);
      wake_cv_.wait_for(lk, std::chrono::milliseconds(wait), [&] { return stop_ || wake_; });
      continue;
    }
    wake_ = false;
    lk.unlock();
    {
      std::lock_guard<std::mutex> r(refresh_mu_);
      run_refresh(false, nullptr);
    }
    lk.lock();
  }
}

KeyCounters RemoteKeys::counters() const {
  std::lock_guard<std::mutex> lk(mu_);
  KeyCounters c;
  c.fetches = fetches_;
  c.failures = failures_;
  c.kid_misses = kid_misses_.load(std::memory_order_relaxed);
  c.sources = sources_.size();
  c.last_success_unix_ms = last_success_unix_ms_;
  c.last_failure_unix_ms = last_failure_unix_ms_;
  const int64_t now = clock_->steady_ms();
  int64_t next = std::numeric_limits<int64_t>::max();
  for (const Source& s : sources_) {
    if (s.keys && now < s.schedule.usable_until_ms()) {
      c.keys_loaded += s.keys->size();
      ++c.sources_usable;
    }
    next = std::min(next, s.schedule.next_due_ms());
  }
  if (next != std::numeric_limits<int64_t>::max())
    c.next_fetch_unix_ms = clock_->unix_ms() + std::max<int64_t>(0, next - now);
  return c;
}

std::vector<std::string> RemoteKeys::last_errors() const {
  std::lock_guard<std::mutex> lk(mu_);
  std::vector<std::string> out;
  for (const Source& s : sources_)
    if (!s.last_error.empty()) out.push_back(s.last_error);
  return out;
}

std::vector<std::string> RemoteKeys::key_warnings() const {
  std::lock_guard<std::mutex> lk(mu_);
  std::vector<std::string> out;
  for (const Source& s : sources_) out.insert(out.end(), s.warnings.begin(), s.warnings.end());
  return out;
}

}  // namespace jwtgate

#include "net/remote_keys.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "net/url_policy.h"

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
  if (options_.host_fetches) options_.never_wait = true;
  for (std::string& u : urls) sources_.emplace_back(std::move(u), options_.schedule);
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
  // Event-loop hosts: the validation fails at once (KEYS_UNAVAILABLE) and
  // the thread, refresh() or the host loads. A child forked while the
  // refresh thread ran, or while another thread refreshed, must not take
  // refresh_mu_, which was held at the fork.
  if (options_.never_wait || forked_while_busy()) return;
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
  // A child forked while the refresh thread ran cannot refetch: the thread
  // stayed in the parent (nor can one forked mid-refresh).
  if (forked_while_busy()) return;
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
  if (std::string why = cannot_refresh_here(); !why.empty()) {
    if (errors) errors->push_back(std::move(why));
    return false;
  }
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
    commit_locked(sources_[i], ok, std::move(got), error);
    if (!ok) {
      if (errors) errors->push_back(error);
      all_ok = false;
    }
  }
  // Published before first_load_done_ is set, so a validation woken below
  // finds the new keys in place.
  if (!todo.empty() || first) publish_now();
  if (first) {
    std::lock_guard<std::mutex> lk(mu_);
    first_load_done_ = true;
    first_load_cv_.notify_all();
  }
  return all_ok;
}

void RemoteKeys::commit_locked(Source& s, bool ok, FetchedKeys&& got, const std::string& error) {
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
  }
  early_gate_ms_.store(std::min(early_gate_ms_.load(std::memory_order_relaxed),
                                s.schedule.early_not_before_ms()),
                       std::memory_order_relaxed);
}

void RemoteKeys::publish_now() {
  std::shared_ptr<const RemoteSnapshot> snap;
  {
    std::lock_guard<std::mutex> lk(mu_);
    snap = snapshot_locked();
  }
  publish_(std::move(snap));
}

bool RemoteKeys::forked_with_thread() const {
  const int pid = thread_pid_;
  return pid != 0 && pid != static_cast<int>(getpid());
}

std::string RemoteKeys::cannot_refresh_here() const {
  if (forked_with_thread())
    return "this validator's refresh thread was running when the process forked: it cannot "
           "refresh in the child";
  if (refresh_lost_in_fork_)
    return "another thread was refreshing this validator's keys when the process forked: it "
           "cannot refresh in the child; create the validator after fork()";
  return {};
}

// The fork handlers of refresh_mu_ (core/fork_guard.h). Trying never waits,
// so they keep the guard's lock order whatever the refresher holds.
void RemoteKeys::try_refresh_at_fork(void* self) {
  auto* k = static_cast<RemoteKeys*>(self);
  k->fork_parent_pid_ = static_cast<int>(getpid());
  k->refresh_taken_at_fork_ = k->refresh_mu_.try_lock();
}

void RemoteKeys::after_fork(void* self) {
  auto* k = static_cast<RemoteKeys*>(self);
  if (k->refresh_taken_at_fork_) k->refresh_mu_.unlock();
  else if (static_cast<int>(getpid()) != k->fork_parent_pid_) k->refresh_lost_in_fork_ = true;
  k->refresh_taken_at_fork_ = false;
}

bool RemoteKeys::start_thread(std::string* error) {
  if (options_.host_fetches) {
    if (error) *error = "this validator's keys are fetched by the host (host fetch mode): the library starts no thread";
    return false;
  }
  if (forked_with_thread()) {
    if (error)
      *error = "this validator's refresh thread was running when the process forked; the thread "
               "stayed in the parent: create the validator after fork(), or stop its thread "
               "before fork()";
    return false;
  }
  if (forked_while_busy()) {
    if (error) *error = cannot_refresh_here();
    return false;
  }
  std::lock_guard<std::mutex> lk(mu_);
  if (thread_.joinable()) return true;
  stop_ = false;
  try {
    thread_ = std::thread([this] { thread_main(); });
    thread_pid_ = static_cast<int>(getpid());
  } catch (const std::system_error& e) {
    if (error) *error = std::string("cannot start the key refresh thread: ") + e.what();
    return false;
  }
  return true;
}

void RemoteKeys::stop_thread() {
  if (forked_with_thread()) {
    // The thread exists in the parent only: forget its handle without
    // joining (kept reachable, so leak checkers stay quiet), and notify no
    // condition variable it may have been waiting on. thread_pid_ stays:
    // forked_with_thread() must remain true in this process, or ~Validator
    // would destroy this object, and with it wake_cv_, whose
    // pthread_cond_destroy waits forever for the parent's thread if that
    // thread was waiting on it at the fork.
    static auto* const orphans = new std::vector<std::thread>;
    orphans->push_back(std::move(thread_));
    return;
  }
  std::thread t;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
    wake_cv_.notify_all();
    t = std::move(thread_);
  }
  t.join();
  thread_pid_ = 0;
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

// ---------------------------------------------------------------- host fetching

bool RemoteKeys::expire_locked(int64_t now) {
  bool any = false;
  for (Source& s : sources_) {
    if (!s.flight_id || now < s.flight_deadline) continue;
    const std::string what = s.flight_jwks ? "JWK Set at " + s.partial.jwks_uri : "discovery document";
    s.flight_id = 0;
    commit_locked(s, false, FetchedKeys{},
                  "openid-config " + s.url + ": the host did not deliver the " + what + " within " +
                      std::to_string(options_.http.timeout_ms) + " ms");
    any = true;
  }
  return any;
}

bool RemoteKeys::next_host_fetch(HostFetch& out, int64_t& wait_ms) {
  std::unique_lock<std::mutex> r(refresh_mu_);
  std::unique_lock<std::mutex> lk(mu_);
  const int64_t now = clock_->steady_ms();
  bool changed = expire_locked(now);
  bool found = false;
  int64_t next = std::numeric_limits<int64_t>::max();
  for (Source& s : sources_) {
    if (s.flight_id) {
      if (!s.flight_handed) {
        s.flight_handed = true;
        out = HostFetch{s.flight_id, true, s.partial.jwks_uri, s.url, s.flight_deadline - now,
                        options_.http};
        found = true;
        break;
      }
      next = std::min(next, s.flight_deadline);
      continue;
    }
    if (!s.schedule.due(now)) {
      next = std::min(next, s.schedule.next_due_ms());
      continue;
    }
    // The library's fetch refuses these URLs in http_fetch; the host is held
    // to the same rule before it is asked.
    const UrlCheck check = check_fetch_url(s.url, options_.http.allow_http_loopback);
    if (!check.ok) {
      commit_locked(s, false, FetchedKeys{}, "discovery document: " + check.why);
      changed = true;
      next = std::min(next, s.schedule.next_due_ms());
      continue;
    }
    s.flight_id = ++next_flight_id_;
    s.flight_deadline = now + options_.http.timeout_ms;
    s.flight_jwks = false;
    s.flight_handed = true;
    s.partial = FetchedKeys{};
    out = HostFetch{s.flight_id, false, s.url, s.url, options_.http.timeout_ms, options_.http};
    found = true;
    break;
  }
  lk.unlock();
  if (changed) {
    publish_now();
    first_load_cv_.notify_all();
  }
  if (found) {
    wait_ms = 0;
    return true;
  }
  wait_ms = next == std::numeric_limits<int64_t>::max() ? -1 : std::max<int64_t>(0, next - now);
  return false;
}

RemoteKeys::Source* RemoteKeys::flight_locked(uint64_t id, bool jwks) {
  if (id == 0) return nullptr;
  for (Source& s : sources_)
    if (s.flight_id == id && s.flight_jwks == jwks && s.flight_handed) return &s;
  return nullptr;
}

RemoteKeys::Supplied RemoteKeys::supply(uint64_t id, bool jwks, HttpResponse&& resp,
                                        std::string& error) {
  std::unique_lock<std::mutex> r(refresh_mu_);
  std::unique_lock<std::mutex> lk(mu_);
  // A response that arrives after its deadline is not taken: the attempt
  // has been recorded as failed, and the schedule has moved on.
  bool changed = expire_locked(clock_->steady_ms());
  Source* s = flight_locked(id, jwks);
  Supplied outcome = Supplied::unknown;
  if (!s) {
    error = "no such fetch in flight (answered already, past its deadline, or of another kind)";
  } else if (!jwks) {
    // The parsing runs under mu_: documents are small (size-capped), and
    // host mode has no other fetcher to hold up.
    FetchedKeys got;
    bool ok = accept_discovery_response(s->url, resp, options_.http, got, error);
    if (ok) {
      const UrlCheck check = check_fetch_url(got.jwks_uri, options_.http.allow_http_loopback);
      if (!check.ok) {
        error = "JWK Set: " + check.why + " (jwks_uri of " + s->url + ")";
        ok = false;
      }
    }
    if (ok) {
      // One deadline for both documents, as for the library's own fetch.
      s->partial = std::move(got);
      s->flight_jwks = true;
      s->flight_handed = false;
      s->flight_id = ++next_flight_id_;
      outcome = Supplied::accepted;
    } else {
      s->flight_id = 0;
      commit_locked(*s, false, FetchedKeys{}, error);
      changed = true;
      outcome = Supplied::refused;
    }
  } else {
    FetchedKeys got = std::move(s->partial);
    s->partial = FetchedKeys{};
    s->flight_id = 0;
    const bool ok = accept_jwks_response(s->url, std::move(resp), options_.http, got, error);
    commit_locked(*s, ok, std::move(got), error);
    changed = true;
    outcome = ok ? Supplied::accepted : Supplied::refused;
  }
  lk.unlock();
  if (changed) {
    publish_now();
    first_load_cv_.notify_all();
  }
  return outcome;
}

RemoteKeys::Supplied RemoteKeys::fail(uint64_t id, const std::string& why, std::string& error) {
  std::unique_lock<std::mutex> r(refresh_mu_);
  std::unique_lock<std::mutex> lk(mu_);
  bool changed = expire_locked(clock_->steady_ms());
  Supplied outcome = Supplied::unknown;
  Source* s = nullptr;
  for (Source& x : sources_)
    if (id && x.flight_id == id && x.flight_handed) s = &x;
  if (!s) {
    error = "no such fetch in flight (answered already, past its deadline, or never handed out)";
  } else {
    const std::string what = s->flight_jwks ? "JWK Set at " + s->partial.jwks_uri + " (jwks_uri of " + s->url + ")"
                                            : "discovery document at " + s->url;
    s->flight_id = 0;
    error = what + ": the host's fetch failed: " + why;
    commit_locked(*s, false, FetchedKeys{}, error);
    changed = true;
    outcome = Supplied::refused;
  }
  lk.unlock();
  if (changed) {
    publish_now();
    first_load_cv_.notify_all();
  }
  return outcome;
}

KeysState RemoteKeys::state_locked(int64_t now) const {
  bool all_usable = true;
  for (const Source& s : sources_) {
    if (!s.schedule.attempted()) return KeysState::loading;
    if (!s.keys || now >= s.schedule.usable_until_ms()) all_usable = false;
  }
  return all_usable ? KeysState::ready : KeysState::unavailable;
}

KeysState RemoteKeys::state() const {
  std::lock_guard<std::mutex> lk(mu_);
  return state_locked(clock_->steady_ms());
}

KeysState RemoteKeys::wait_state(int64_t timeout_ms) const {
  std::unique_lock<std::mutex> lk(mu_);
  if (timeout_ms > 0)
    first_load_cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms), [&] {
      return state_locked(clock_->steady_ms()) != KeysState::loading;
    });
  return state_locked(clock_->steady_ms());
}

std::vector<std::string> RemoteKeys::key_warnings() const {
  std::lock_guard<std::mutex> lk(mu_);
  std::vector<std::string> out;
  for (const Source& s : sources_) out.insert(out.end(), s.warnings.begin(), s.warnings.end());
  return out;
}

}  // namespace jwtgate

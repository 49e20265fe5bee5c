// RemoteKeys: the openid-config elements of one validator that are fetched
// from the network (docs/apim-reference.md, "Key refresh"). Each URL is its own cache
// (Entra: "a key that is common across tenants today can become distinct"),
// with its own last-known-good keys, schedule and error; their keys and
// issuers are pooled by the validator.
//
// Who fetches:
//  - the first load, on the first validation that needs it, by that thread;
//    every other validation arriving meanwhile waits for the same load, all
//    of them until one shared deadline (default 5 s) — the only time a
//    validation waits on the network;
//  - afterwards, either the library's own thread (start_thread) or the host,
//    by calling refresh() (for hosts that forbid library threads).
// Two options change that for event-loop hosts (nginx, Envoy, a Rust or Go
// service), whose threads must never block:
//  - never_wait: no validation ever loads; one before the first load fails
//    at once (KEYS_UNAVAILABLE), and the thread or refresh() loads;
//  - host_fetches: the library never fetches at all. The host asks what is
//    due (next_host_fetch: a URL, its kind, a deadline, an id), does the
//    transfer its own way and hands the response back (supply) or reports a
//    failure (fail). A supplied response passes the very checks of the
//    library's fetch (openid_fetch.h), and its outcome is recorded by the
//    same code (commit_locked): last known good, schedule, refetch window.
// A validation only ever notes an unknown kid (note_kid_miss), which asks for
// an early fetch that the schedule grants at most once per refetch window.
//
// What a validator sees is a RemoteSnapshot, replaced whole through the
// publish callback, so a validation uses one consistent set of keys and
// issuers. A failed, slow, oversized or invalid response changes nothing but
// the error and the counters: the last good keys stay until they are older
// than the maximum staleness.
//
// Thread-safe. The destructor abandons a fetch in progress (within about a
// second) and stops the thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/fork_guard.h"
#include "keys/key_set.h"
#include "net/clock.h"
#include "net/http_client.h"
#include "net/openid_fetch.h"
#include "net/refresh_schedule.h"

namespace jwtgate {

struct RemoteKeyOptions {
  ScheduleSettings schedule;
  // The one wait a validation may do: the validator's first key load.
  int64_t first_load_timeout_ms = 5'000;
  HttpLimits http;
  // Where time comes from; null means the system clock. Tests pass their own.
  std::shared_ptr<const Clock> clock;
  // A validation before the first load fails at once instead of loading.
  bool never_wait = false;
  // The host fetches (next_host_fetch, supply, fail); the library never
  // does. Implies never_wait.
  bool host_fetches = false;
};

// HostFetch: one document the host is asked to fetch.
struct HostFetch {
  uint64_t id = 0;          // names this fetch in supply() and fail()
  bool jwks = false;        // false: the discovery document; true: the JWK Set
  std::string url;
  std::string discovery_url;  // the openid-config it is for
  int64_t timeout_ms = 0;   // left until the deadline, from when it was handed out
  HttpLimits limits;        // what the library's own fetch would allow
};

// KeysState: how far a validator's fetched keys are.
enum class KeysState {
  none_needed,  // nothing to fetch
  loading,      // the first attempt of some openid-config has not ended
  ready,        // every openid-config has usable keys
  unavailable,  // every first attempt ended, and some openid-config has no usable keys
};

// RemoteSource: what a validator knows of one openid-config at one moment.
struct RemoteSource {
  std::string url;
  KeySetPtr keys;                // last known good; null until the first success
  std::string issuer;            // from the discovery document that came with |keys|
  int64_t usable_until_ms = 0;   // steady clock: |keys| are refused from then on
  int64_t last_success_ms = -1;  // steady clock; -1 never
  bool attempted = false;        // the first load of this URL has finished
  std::string last_error;        // of the last attempt; "" after a success
};
using RemoteSnapshot = std::vector<RemoteSource>;

// describe_unavailable: one sentence per source whose keys cannot be used at
// |now_ms| (never loaded, first load unfinished, or too old), for the
// KEYS_UNAVAILABLE failure; "" when all are usable.
std::string describe_unavailable(const RemoteSnapshot& snap, int64_t now_ms);

struct KeyCounters {
  uint64_t fetches = 0;             // attempts (discovery document + JWK Set) that ended
  uint64_t failures = 0;            // attempts that failed
  uint64_t kid_misses = 0;          // validations whose kid matched no key
  uint64_t keys_loaded = 0;         // keys in use now, from every source
  uint64_t sources = 0;             // openid-config URLs fetched
  uint64_t sources_usable = 0;      // of them, those whose keys are usable now
  int64_t last_success_unix_ms = 0; // 0: never
  int64_t last_failure_unix_ms = 0; // 0: never
  int64_t next_fetch_unix_ms = 0;   // the next scheduled fetch (earliest source)
};

class RemoteKeys {
 public:
  using Publish = std::function<void(std::shared_ptr<const RemoteSnapshot>)>;

  // |publish| receives every new snapshot, in order, from whichever thread
  // fetched; it must not call back into this object.
  RemoteKeys(std::vector<std::string> urls, RemoteKeyOptions options, Publish publish);
  ~RemoteKeys();
  RemoteKeys(const RemoteKeys&) = delete;
  RemoteKeys& operator=(const RemoteKeys&) = delete;

  // initial_snapshot: every source, nothing loaded (for the validator's
  // first state).
  std::shared_ptr<const RemoteSnapshot> initial_snapshot() const;

  // --- called while validating ---
  // wait_first_load returns once the first load has finished, or when its
  // shared deadline has passed. The first caller performs the load itself
  // unless another thread already does.
  void wait_first_load();
  // note_kid_miss counts a token whose kid matched no key and asks for an
  // early fetch (granted at most once per refetch window). Never fetches.
  void note_kid_miss();
  int64_t now_ms() const { return clock_->steady_ms(); }

  // --- called by the refresh thread or the host ---
  // refresh fetches every source that is due (all of them when |force|), one
  // after the other, and publishes the result. Returns true when every
  // fetch it made succeeded; |errors| (if not null) receives one sentence per
  // failure. Refreshers are serialised; validations are never blocked.
  bool refresh(bool force, std::vector<std::string>* errors);
  // start_thread starts the library's refresh thread (idempotent): it does
  // the first load at once, then every refresh when due, and wakes early for
  // a granted kid-miss request. Returns false if the thread could not start.
  bool start_thread(std::string* error);
  // stop_thread stops and joins it (idempotent); an ongoing fetch finishes
  // first, within its timeout. In a child process forked while the thread
  // ran, the thread does not exist: it is forgotten, not joined, and
  // forked_with_thread() stays true.
  void stop_thread();
  bool thread_running() const;
  // forked_with_thread: this process is a child of the one whose refresh
  // thread was running at fork(): the thread and any lock it held stayed in
  // the parent, so the child must not refresh through this object.
  bool forked_with_thread() const;
  // forked_while_busy: this process is a child forked while the refresh
  // thread ran or while another thread was refreshing (it held refresh_mu_,
  // which stays locked here, and a validation may have been waiting for the
  // first load): the child must not refresh, start a thread, or destroy
  // this object's locks. cannot_refresh_here says why (empty when it may).
  bool forked_while_busy() const { return forked_with_thread() || refresh_lost_in_fork_; }
  std::string cannot_refresh_here() const;

  // --- host fetching (options.host_fetches) ---
  // next_host_fetch fills |out| with a document due now and returns true;
  // otherwise returns false with |wait_ms| the time until one may be due
  // (-1: never, without a supply or fail first). A fetch whose deadline has
  // passed is recorded as failed here. Never blocks on the network.
  bool next_host_fetch(HostFetch& out, int64_t& wait_ms);
  enum class Supplied { accepted, refused, unknown };
  // supply hands over the host's response to fetch |id|: accepted (a
  // discovery document makes its JWK Set due at once; a JWK Set replaces the
  // keys), refused (|error| says why; the last good keys stay), or unknown
  // (no such fetch in flight: answered already, expired, or never handed).
  Supplied supply(uint64_t id, bool jwks, HttpResponse&& resp, std::string& error);
  // fail records that the host could not fetch |id| (|why|: its reason).
  Supplied fail(uint64_t id, const std::string& why, std::string& error);
  // state and wait_state: how far the keys are; wait_state blocks until the
  // first attempt of every source has ended or |timeout_ms| has passed.
  KeysState state() const;
  KeysState wait_state(int64_t timeout_ms) const;
  const RemoteKeyOptions& options() const { return options_; }

  KeyCounters counters() const;
  // last_errors: the error of each source whose last attempt failed; each
  // names the URL it was about.
  std::vector<std::string> last_errors() const;
  // key_warnings: for the keys in use, what their fetch skipped (a key that
  // is malformed or unusable: its index, kid and why), each naming the
  // jwks_uri; empty when every key of every set loaded.
  std::vector<std::string> key_warnings() const;

 private:
  struct Source {
    Source(std::string u, const ScheduleSettings& s) : url(std::move(u)), schedule(s) {}
    std::string url;
    RefreshSchedule schedule;
    KeySetPtr keys;
    std::string issuer;
    std::string jwks_text;
    std::string last_error;
    std::vector<std::string> warnings;  // of the fetch that brought |keys|
    // Host fetching: the fetch in flight (id 0: none), its deadline, which
    // document it waits for, whether that one has been handed out, and what
    // the discovery document said.
    uint64_t flight_id = 0;
    int64_t flight_deadline = 0;
    bool flight_jwks = false;
    bool flight_handed = false;
    FetchedKeys partial;
  };
  // run_refresh does the work of refresh(); |refresh_mu_| held by the caller.
  bool run_refresh(bool force, std::vector<std::string>* errors);
  // commit_locked records the outcome of one attempt on |s| (the library's
  // fetch or the host's): on success the new keys (an unchanged set keeps
  // its object), on failure the error; the schedule either way.
  void commit_locked(Source& s, bool ok, FetchedKeys&& got, const std::string& error);
  // publish_now sends the current snapshot to the validator; |refresh_mu_|
  // held by the caller, |mu_| not.
  void publish_now();
  // expire_locked fails the host fetches whose deadline has passed; true if
  // any did.
  bool expire_locked(int64_t now);
  Source* flight_locked(uint64_t id, bool jwks);
  KeysState state_locked(int64_t now) const;
  std::shared_ptr<const RemoteSnapshot> snapshot_locked() const;
  bool begin_first_load_locked(int64_t now);
  void thread_main();

  RemoteKeyOptions options_;
  std::shared_ptr<const Clock> clock_;
  Publish publish_;

  std::mutex refresh_mu_;  // one refresher at a time; held across fetches
  mutable std::mutex mu_;  // everything below; never held across a fetch
  // mu_ is free in a child forked while another thread held it (it is held
  // with no other registered mutex: core/fork_guard.h). refresh_mu_ is held
  // across fetches, which a fork must not wait for: the fork only tries it.
  // Taken, it is released in the parent and the child; held by a refresher,
  // the child marks it lost (refresh_lost_in_fork_) and never locks it.
  ForkGuard mu_fork_guard_{ForkGuard::Rank::leaf, mu_};
  bool refresh_taken_at_fork_ = false;
  int fork_parent_pid_ = 0;
  bool refresh_lost_in_fork_ = false;
  static void try_refresh_at_fork(void* self);
  static void after_fork(void* self);
  ForkGuard refresh_fork_guard_{ForkGuard::Rank::leaf, this, &RemoteKeys::try_refresh_at_fork,
                                &RemoteKeys::after_fork};
  // Notified when the first load ends and, in host mode, after each attempt.
  mutable std::condition_variable first_load_cv_;
  std::condition_variable wake_cv_;
  std::vector<Source> sources_;
  bool first_load_started_ = false;
  bool first_load_done_ = false;
  int64_t first_load_deadline_ = 0;
  bool stop_ = false;
  bool wake_ = false;
  std::thread thread_;
  std::atomic<int> thread_pid_{0};  // the process that started thread_ (0: none)
  uint64_t next_flight_id_ = 0;
  uint64_t fetches_ = 0;
  uint64_t failures_ = 0;
  int64_t last_success_unix_ms_ = 0;
  int64_t last_failure_unix_ms_ = 0;

  std::atomic<uint64_t> kid_misses_{0};
  // Set by the destructor: a fetch in progress is abandoned.
  std::atomic<bool> closing_{false};
  // Before this steady time no early request can be granted: a flood of
  // unknown kids is turned away without taking |mu_|.
  std::atomic<int64_t> early_gate_ms_{0};
};

}  // namespace jwtgate

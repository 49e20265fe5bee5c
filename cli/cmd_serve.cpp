// jwtgate serve: an authorization sidecar for nginx's auth_request. The
// server lives in cli/serve/; this file reads the options, runs it, and
// turns SIGHUP into an all-or-nothing reload.
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <iostream>

#include "commands.h"
#include "serve/auth_service.h"
#include "serve/http_server.h"
#include "serve/request_target.h"
#include "serve/route_table.h"
#include "serve/serve_config.h"
#include "serve/serve_log.h"
#include "setup.h"

namespace cli {

namespace {

const char* const kHelp =
    "usage: jwtgate serve --config FILE [--listen ADDR:PORT]\n"
    "       jwtgate serve --policy FILE [policy options] [--listen ADDR:PORT] [options]\n"
    "\n"
    "Answers nginx auth_request subrequests (and direct callers): the token of the\n"
    "request whose URI is in X-Original-URI is validated against the policy whose path\n"
    "prefix is longest; a valid token gets 200 with chosen claims as headers, a refused\n"
    "one the policy's status and APIM's message. A path not in normal form (\"..\",\n"
    "\"//\", %2F, ...) gets 400, not a judgement. GET /healthz, GET /metrics (Prometheus).\n"
    "SIGHUP reloads the configuration; one that does not load leaves the old in service.\n"
    "See docs/serving.md.\n"
    "\n"
    "Service:\n"
    "  --config FILE               JSON configuration: listen address, limits, routes\n"
    "  --listen ADDR:PORT          address to listen on (default 127.0.0.1:8080; port 0\n"
    "                              picks a free one); overrides the file's\n"
    "  --prefix PATH               the path prefix the policy guards (default /)\n"
    "  --claim-header CLAIM=NAME   send claim CLAIM as response header NAME (repeatable)\n"
    "  --cache-entries N           verified-token cache size (default 0: off)\n"
    "  --threads N                 server threads (default 2)\n"
    "  --max-connections N         connections at once (default 1024)\n"
    "  --max-connections-per-ip N  per client address (default 0: no limit)\n"
    "  --idle-timeout S            close a connection idle S seconds (default 15)\n"
    "  --connection-memory BYTES   memory per connection, request headers included\n"
    "                              (default 32768)\n"
    "  --success-status 200|204    status of an accepted token (default 200)\n"
    "  --no-www-authenticate       no RFC 6750 WWW-Authenticate header on 401\n"
    "  --now UNIX_SECONDS          validate at this fixed time (tests)\n"
    "\n"
    "Policy options (without --config), as for 'jwtgate validate':\n";

// The options of the --policy form, with whether each takes a value: the
// route options of `jwtgate validate` and the service's own.
const std::pair<const char*, bool> kServeOptions[] = {
    {"policy", true},          {"select", true},           {"keys", true},
    {"named-value", true},     {"named-values", true},     {"expression-value", true},
    {"certificate", true},     {"decryption-key", true},   {"decryption-key-password", true},     {"openid-document", true},  {"jwks-document", true},
    {"prefix", true},          {"claim-header", true},     {"cache-entries", true},
    {"allow-http-loopback", false}, {"first-load-timeout", true}, {"threads", true},
    {"max-connections", true}, {"max-connections-per-ip", true}, {"idle-timeout", true},
    {"connection-memory", true}, {"success-status", true}, {"no-www-authenticate", false},
};
const size_t kRouteOptionCount = 9;  // the first nine above go to read_setup

// capture_options consumes the options above from |args| and returns them as
// a command line that config_from_args can read again at every SIGHUP.
std::vector<std::string> capture_options(Args& args) {
  std::vector<std::string> out;
  for (auto [name, has_value] : kServeOptions) {
    if (!has_value) {
      if (args.flag(name)) out.push_back(std::string("--") + name);
      continue;
    }
    for (const auto& v : args.values(name)) out.insert(out.end(), {std::string("--") + name, v});
  }
  return out;
}

unsigned parse_number(Args& args, const char* name, unsigned fallback, unsigned max) {
  auto v = args.value(name);
  if (!v) return fallback;
  unsigned n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n > max)
    throw UsageError{std::string("--") + name + " takes a number up to " + std::to_string(max)};
  return n;
}

// config_from_args makes the one-route configuration of the command line.
serve::ServeConfig config_from_args(Args& args) {
  serve::ServeConfig c;
  serve::RouteSpec r;
  for (size_t i = 0; i < kRouteOptionCount; ++i) {
    const std::string name = kServeOptions[i].first;
    for (const auto& v : args.values(name)) r.setup_args.insert(r.setup_args.end(), {"--" + name, v});
  }
  if (auto p = args.value("prefix")) r.prefix = *p;
  if (const char* why = serve::prefix_problem(r.prefix))
    throw UsageError{std::string("--prefix: no request path can match it: ") + why};
  for (const auto& ch : args.values("claim-header")) {
    size_t eq = ch.find('=');
    if (eq == std::string::npos || eq == 0 || !serve::is_header_name(ch.substr(eq + 1)))
      throw UsageError{"--claim-header takes CLAIM=HEADER, not \"" + ch + "\""};
    r.claim_headers.emplace_back(ch.substr(0, eq), ch.substr(eq + 1));
  }
  r.cache_entries = parse_number(args, "cache-entries", 0, 10000000);
  r.allow_http_loopback = args.flag("allow-http-loopback");
  r.first_load_timeout_ms = parse_number(args, "first-load-timeout", 0, 600000);
  c.limits.threads = parse_number(args, "threads", c.limits.threads, 256);
  c.limits.connections = parse_number(args, "max-connections", c.limits.connections, 1000000);
  c.limits.connections_per_ip =
      parse_number(args, "max-connections-per-ip", c.limits.connections_per_ip, 1000000);
  c.limits.idle_timeout_s = parse_number(args, "idle-timeout", c.limits.idle_timeout_s, 3600);
  c.limits.connection_memory_bytes =
      parse_number(args, "connection-memory", unsigned(c.limits.connection_memory_bytes), 16u << 20);
  if (c.limits.threads == 0 || c.limits.connections == 0 || c.limits.connection_memory_bytes < 4096)
    throw UsageError{"--threads and --max-connections must be at least 1, --connection-memory 4096"};
  c.success_status = int(parse_number(args, "success-status", 200, 299));
  if (c.success_status != 200 && c.success_status != 204)
    throw UsageError{"--success-status takes 200 or 204"};
  c.www_authenticate = !args.flag("no-www-authenticate");
  c.routes.push_back(std::move(r));
  return c;
}

// Source: where the configuration comes from, read again on SIGHUP.
struct Source {
  std::optional<std::string> config_file;
  std::vector<std::string> argv;  // the command line, for the --policy form
  std::optional<std::string> listen;
  int64_t now = JWTGATE_NOW;

  serve::ServeConfig read() const {
    serve::ServeConfig c;
    if (config_file) {
      c = serve::read_config_file(*config_file);
    } else {
      std::vector<std::string> items = argv;
      std::vector<char*> ptrs;
      for (auto& s : items) ptrs.push_back(s.data());
      Args args(int(ptrs.size()), ptrs.data(), 0);
      c = config_from_args(args);
    }
    if (listen) c.listen = *listen;
    c.now = now;
    return c;
  }
};

// load reads and builds a configuration; nullptr (after logging why) when
// it does not load.
std::shared_ptr<const serve::RouteTable> load(const Source& src) {
  try {
    return serve::build_route_table(src.read());
  } catch (const serve::ConfigFileError& e) {
    serve::log_line("configuration: " + e.message);
  } catch (const serve::RouteBuildError& e) {
    serve::log_line("configuration: " + e.message);
  } catch (const UsageError& e) {
    serve::log_line("configuration: " + e.message);
  }
  return nullptr;
}

}  // namespace

int cmd_serve(Args& args) {
  if (args.flag("help")) {
    std::cout << kHelp << kSetupHelp;
    return kExitValid;
  }
  Source src;
  src.config_file = args.value("config");
  src.listen = args.value("listen");
  src.now = parse_now(args);
  if (src.config_file) {
    args.finish();
    if (!args.positionals().empty()) throw UsageError{"unexpected argument " + args.positionals()[0]};
  } else {
    // Check the command line once now, so a typo is a usage error (exit 2)
    // rather than a reload failure later.
    src.argv = capture_options(args);
    args.finish();
    for (const auto& p : args.positionals()) throw UsageError{"unexpected argument " + p};
    if (std::find(src.argv.begin(), src.argv.end(), "--policy") == src.argv.end())
      throw UsageError{"give --config FILE, or --policy FILE"};
    // Read the command line once now, so a bad value is a usage error (exit
    // 2) rather than a failed start.
    (void)src.read();
  }

  // Block the signals before any thread starts, so every thread inherits
  // the mask and only sigwait below sees them: a reload then runs on this
  // thread, never inside a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto table = load(src);
  if (!table) return kExitUsage;
  serve::ServiceCounters counters;
  counters.last_reload_ok_unix = std::time(nullptr);
  serve::LiveRoutes live;
  const serve::ServeConfig first = table->config;
  live.set(table);
  table.reset();
  serve::AuthService service(live, counters);
  serve::HttpServer server(service);
  serve::ListenAddress address;
  try {
    address = serve::parse_listen(first.listen);
  } catch (const serve::ConfigFileError& e) {
    throw UsageError{e.message};
  }
  if (!server.start(address, first.limits)) return kExitUsage;
  std::string routes;
  for (const auto& r : first.routes) routes += (routes.empty() ? "" : ", ") + r.prefix;
  serve::log_line("listening on " + (address.ipv6 ? "[" + address.host + "]" : address.host) + ":" +
                  std::to_string(server.port()) + " (routes: " + routes + ")");

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig != SIGHUP) {
      serve::log_line(std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
      break;
    }
    if (auto next = load(src)) {
      if (next->config.listen != first.listen)
        serve::log_line("reload: listen is read at start only; still " + first.listen);
      live.set(std::move(next));
      counters.reloads_ok++;
      counters.last_reload_ok_unix = std::time(nullptr);
      serve::log_line("reload: new configuration in service");
    } else {
      counters.reloads_failed++;
      serve::log_line("reload failed: the previous configuration stays in service");
    }
  }
  server.stop();
  return kExitValid;
}

}  // namespace cli

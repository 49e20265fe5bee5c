// jwtgate serve: an authorization sidecar for nginx's auth_request. The
// server lives in cli/serve/; this file reads the options, runs it, and
// turns SIGHUP into an all-or-nothing reload.
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <iostream>

#include <microhttpd.h>

#include "commands.h"
#include "serve/auth_service.h"
#include "serve/http_server.h"
#include "serve/request_target.h"
#include "serve/route_table.h"
#include "serve/serve_config.h"
#include "serve/serve_log.h"
#include "setup.h"
#include "text.h"

namespace cli {

namespace {

// The options a SIGHUP reads again in the --policy form: all but those the
// Source below keeps itself.
bool reread(const OptionSpec& o) {
  const std::string_view name = o.name;
  return name != "config" && name != "listen" && name != "now";
}

// route_option: an option config_from_args hands to read_setup (setup.h) as
// it is, as the configuration file's routes do (serve_config.cpp): the
// policy, its keys and load options; the route's fetch settings go into
// RouteSpec instead.
bool route_option(const OptionSpec& o) {
  const std::string_view name = o.name;
  return std::string_view(o.section) == "Policy and keys" && name != "allow-http-loopback" &&
         name != "first-load-timeout";
}

// capture_options returns the options of the --policy form as a command line
// that config_from_args can read again at every SIGHUP.
std::vector<std::string> capture_options(Args& args) {
  std::vector<std::string> out;
  for (const Args::Option& g : args.given_options()) {
    if (!reread(*g.spec)) continue;
    out.push_back(std::string("--") + g.spec->name);
    if (g.spec->arg) out.push_back(g.value);
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
  for (const Args::Option& g : args.given_options()) {
    if (!route_option(*g.spec)) continue;
    r.setup_args.push_back(std::string("--") + g.spec->name);
    if (g.spec->arg) r.setup_args.push_back(g.value);
  }
  for (const OptionSpec* o : options_of(kServe))
    if (route_option(*o)) (void)args.values(o->name);  // consumed above
  if (auto p = args.value("prefix")) r.prefix = *p;
  if (const char* why = serve::prefix_problem(r.prefix))
    throw UsageError{std::string("--prefix: no request path can match it: ") + why};
  for (const auto& ch : args.values("claim-header")) {
    size_t eq = ch.find('=');
    if (eq == std::string::npos || eq == 0 || !serve::is_header_name(ch.substr(eq + 1)))
      throw UsageError{"--claim-header takes CLAIM=HEADER, not " + quoted(ch, 80)};
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
      Args args(*find_command("serve"), argv);
      if (args.problem()) throw *args.problem();
      c = config_from_args(args);
      args.finish();
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

const char* serve_library() {
  static const std::string name = std::string("libmicrohttpd/") + MHD_get_version();
  return name.c_str();
}

int cmd_serve(Args& args) {
  Source src;
  src.config_file = args.value("config");
  src.listen = args.value("listen");
  src.now = parse_now(args);
  for (const auto& p : args.operands()) throw UsageError{"unexpected operand " + quoted(p, 64)};
  if (src.config_file) {
    // The file holds the routes and the service's settings.
    for (const Args::Option& g : args.given_options())
      if (reread(*g.spec))
        throw UsageError{std::string("--") + g.spec->name + " does not go with --config, whose file holds the routes"};
  } else {
    // Check the command line once now, so a typo is a usage error (exit 2)
    // rather than a reload failure later.
    src.argv = capture_options(args);
    if (!args.given("policy")) throw UsageError{"give --config FILE, or --policy FILE"};
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

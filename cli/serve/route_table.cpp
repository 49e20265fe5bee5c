#include "route_table.h"

#include <algorithm>

#include "../args.h"
#include "../setup.h"

namespace cli::serve {

namespace {

using ValidatorOptions =
    std::unique_ptr<jwtgate_validator_options, void (*)(jwtgate_validator_options*)>;

Route build_route(const RouteSpec& spec) {
  // The route's options go through the CLI's own reader, so a route loads
  // exactly as `jwtgate validate` with the same options would.
  std::vector<std::string> items = spec.setup_args;
  std::vector<char*> argv;
  for (auto& s : items) argv.push_back(s.data());
  argv.push_back(nullptr);
  Args args(int(items.size()), argv.data(), 0);
  Setup setup = read_setup(args);
  args.finish();

  ValidatorOptions o(jwtgate_validator_options_new(), jwtgate_validator_options_free);
  if (!o) throw RouteBuildError{"out of memory"};
  if (jwtgate_validator_options_set_cache_entries(o.get(), spec.cache_entries) != JWTGATE_OK)
    throw RouteBuildError{"cache_entries " + std::to_string(spec.cache_entries) + " refused"};
  if (spec.allow_http_loopback)
    (void)jwtgate_validator_options_set_key_setting(o.get(), JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK, 1);
  if (spec.first_load_timeout_ms &&
      jwtgate_validator_options_set_key_setting(o.get(), JWTGATE_KEYS_FIRST_LOAD_TIMEOUT_MS,
                                                spec.first_load_timeout_ms) != JWTGATE_OK)
    throw RouteBuildError{"first_load_timeout_ms out of range"};

  jwtgate_validator* v = nullptr;
  jwtgate_error* e = nullptr;
  jwtgate_status st = jwtgate_validator_new_with_options(&v, &e, setup.policy.get(),
                                                         setup.keys.get(), o.get());
  jwtgate_cpp::Error err(e);
  if (st != JWTGATE_OK)
    throw RouteBuildError{std::string("cannot make the validator: ") + jwtgate_status_str(st) +
                          "\n" + jwtgate_cpp::error_text(err)};
  Route r{spec.prefix, jwtgate_cpp::Validator(v), spec.claim_headers};
  // Policies with openid-config fetch their keys; the library's thread
  // keeps them fresh (a no-op for offline or inline keys).
  if (jwtgate_validator_start_refresh_thread(v) != JWTGATE_OK)
    throw RouteBuildError{"cannot start the key refresh thread"};
  return r;
}

}  // namespace

std::shared_ptr<const RouteTable> build_route_table(const ServeConfig& config) {
  auto table = std::make_shared<RouteTable>();
  table->config = config;
  for (const auto& spec : config.routes) {
    try {
      table->routes.push_back(build_route(spec));
    } catch (const UsageError& e) {
      throw RouteBuildError{"route " + spec.prefix + ": " + e.message};
    } catch (const PolicyLoadError& e) {
      throw RouteBuildError{"route " + spec.prefix + ": the policy did not load:\n" + e.errors};
    } catch (const ConfigError&) {
      throw RouteBuildError{"route " + spec.prefix + ": configuration error (see above)"};
    } catch (const RouteBuildError& e) {
      throw RouteBuildError{"route " + spec.prefix + ": " + e.message};
    }
  }
  std::stable_sort(table->routes.begin(), table->routes.end(),
                   [](const Route& a, const Route& b) { return a.prefix.size() > b.prefix.size(); });
  for (const auto& r : table->routes) table->prefixes.push_back(r.prefix);
  return table;
}

}  // namespace cli::serve

// metrics_text: the Prometheus text exposition (format 0.0.4) of the
// service's counters and of every route's validator metrics.
#pragma once

#include <string>

#include "route_table.h"
#include "service_counters.h"

namespace cli::serve {

// metrics_text renders |table|'s validators and |counters|. Validator
// counters start again from zero when a reload builds new validators;
// Prometheus' rate() treats that as a counter reset.
std::string metrics_text(const RouteTable& table, const ServiceCounters& counters);

}  // namespace cli::serve

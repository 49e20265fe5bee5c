// The struct behind jwtgate_result, apart from capi_types.h because a
// result carries the parsed token and so the JSON parser's types: only the
// capi/ sources that read results include it.
#pragma once

#include "jwtgate.h"
#include "validate/result.h"

struct jwtgate_result {
  jwtgate::Result r;
};

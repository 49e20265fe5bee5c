// Named values ({{name}}) and policy expressions (@(...), @{...}).
//
// APIM replaces {{name}} with the named value's text before the policy runs,
// and a named value cannot contain another one (docs/apim-semantics.md), so the
// substitution is a single pass. Expressions are C# and cannot run outside
// APIM: a value that is an expression must have been supplied by the caller,
// keyed by its exact text.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "policy/load_options.h"

namespace jwtgate {

// resolve_policy_value substitutes named values in |in|, then, if the result
// is an expression, replaces it with the caller's value for that exact text.
// On failure adds an error naming the missing {{name}} or the expression to
// |diag| (with |path|, |line|, |column|) and returns false.
bool resolve_policy_value(std::string_view in, const LoadOptions& opts, std::string& out,
                          Diagnostics& diag, const std::string& path, unsigned line = 0,
                          unsigned column = 0);

// is_policy_expression: "@(" or "@{" at the start (the XSD pattern @[\(\{]).
bool is_policy_expression(std::string_view s);

}  // namespace jwtgate

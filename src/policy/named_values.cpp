#include "policy/named_values.h"

namespace jwtgate {

bool is_policy_expression(std::string_view s) {
  return s.size() >= 2 && s[0] == '@' && (s[1] == '(' || s[1] == '{');
}

bool resolve_policy_value(std::string_view in, const LoadOptions& opts, std::string& out,
                          Diagnostics& diag, const std::string& path, unsigned line,
                          unsigned column) {
  out.clear();
  bool ok = true;
  size_t pos = 0;
  while (pos < in.size()) {
    size_t open = in.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(in.substr(pos));
      break;
    }
    size_t close = in.find("}}", open + 2);
    if (close == std::string_view::npos) {
      // An unterminated "{{" is literal text in APIM too; keep it.
      out.append(in.substr(pos));
      break;
    }
    out.append(in.substr(pos, open - pos));
    std::string name(in.substr(open + 2, close - open - 2));
    auto it = opts.named_values.find(name);
    if (it == opts.named_values.end()) {
      diag.coded_error("named_value_undefined", "named value {{" + name + "}} is not defined (supply it with --named-value " +
                     name + "=... or jwtgate_load_options_set_named_value)",
                 path, line, column);
      ok = false;
    } else {
      out.append(it->second);  // single pass: no nested substitution
    }
    pos = close + 2;
  }
  if (!ok) return false;
  if (is_policy_expression(out)) {
    auto it = opts.expression_values.find(out);
    if (it == opts.expression_values.end()) {
      diag.coded_error("policy_expression", "policy expression " + out +
                     " cannot run outside API Management; supply its value with "
                     "--expression-value or jwtgate_load_options_set_expression_value",
                 path, line, column);
      return false;
    }
    out = it->second;
  }
  return true;
}

}  // namespace jwtgate

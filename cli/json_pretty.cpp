#include "json_pretty.h"

#include <simdjson.h>

#include "core/json_writer.h"

namespace cli {

namespace {

void write(std::string& out, simdjson::dom::element v, int indent, int depth) {
  using simdjson::dom::element_type;
  auto pad = [&](int d) { out.append(static_cast<size_t>(d * indent), ' '); };
  switch (v.type()) {
    case element_type::OBJECT: {
      auto obj = v.get_object().value_unsafe();
      if (obj.size() == 0) { out += "{}"; return; }
      out += "{\n";
      bool first = true;
      for (auto f : obj) {
        if (!first) out += ",\n";
        first = false;
        pad(depth + 1);
        jwtgate::json_append_escaped(out, f.key);
        out += ": ";
        write(out, f.value, indent, depth + 1);
      }
      out += "\n";
      pad(depth);
      out += "}";
      return;
    }
    case element_type::ARRAY: {
      auto arr = v.get_array().value_unsafe();
      if (arr.size() == 0) { out += "[]"; return; }
      out += "[\n";
      bool first = true;
      for (auto item : arr) {
        if (!first) out += ",\n";
        first = false;
        pad(depth + 1);
        write(out, item, indent, depth + 1);
      }
      out += "\n";
      pad(depth);
      out += "]";
      return;
    }
    case element_type::STRING:
      // The writer's escapes (json_writer.h): DEL, U+2028 and the
      // bidirectional controls too, which minify leaves raw.
      jwtgate::json_append_escaped(out, v.get_string().value_unsafe());
      return;
    default:
      out += simdjson::minify(v);
  }
}

}  // namespace

std::string pretty_json(std::string_view json, int indent) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(simdjson::padded_string(json)).get(root)) return std::string(json);
  std::string out;
  write(out, root, indent, 0);
  return out;
}

}  // namespace cli

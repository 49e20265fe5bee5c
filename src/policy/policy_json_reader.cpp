// Reading the JSON form of a policy (policy_forms.h, docs/policy-json.md), with
// simdjson. Members are the attribute tables' rows (policy_attributes.h), as
// in the XML reader, so that both forms accept, refuse and default the same.
#include <string>
#include <type_traits>
#include <vector>

#include <simdjson.h>

#include "policy/named_values.h"
#include "encoding/json_dom.h"
#include "policy/policy_attributes.h"
#include "policy/policy_forms.h"
#include "policy/policy_reading.h"
#include "policy/policy_json_document.h"

namespace jwtgate {
namespace {


// JsonReader reads one policy object, collecting every problem rather than
// stopping at the first.
class JsonReader {
 public:
  JsonReader(const LoadOptions& opts, Diagnostics& diag) : opts_(opts), diag_(diag) {}

  void policy(object obj, PolicyKind kind, const std::string& path, Policy& p);

 private:
  enum class Resolved { Yes, Refused, Failed };
  template <typename Owner>
  Resolved string_value(const Attribute<Owner>& row, element v, const std::string& path,
                        std::string& out);
  template <typename Owner>
  bool text_member(const Attribute<Owner>& row, element v, const std::string& path, Owner& o);
  template <typename Owner>
  std::vector<std::string> string_list(const Attribute<Owner>& row, element v,
                                       const std::string& path);
  template <typename Owner>
  bool member(const Attribute<Owner>& row, element v, const std::string& path, Owner& o);

  // list reads an array of Owner items (openid-config, keys, claims)
  // through items(), with the rules of that kind of item.
  template <typename Owner>
  void list(element v, const std::string& path, PolicyKind kind, std::vector<Owner>& out,
            bool signing = true);
  void extensions(element v, const std::string& path, PolicyKind kind, Extensions& ext);
  bool expect_object(element v, const std::string& path, object& out);
  // each_object calls fn(object, its path) for every object of the array v;
  // a v that is not an array, or an item that is not an object, is an error.
  template <typename Fn>
  void each_object(element v, const std::string& path, const char* what, Fn fn);
  // each_member calls fn(row, value, its path) for every member of |o| that
  // Owner's table has (for |kind|); any other member is an error.
  template <typename Owner, typename Fn>
  void each_member(object o, const std::string& path, PolicyKind kind, Fn fn,
                   bool signing = true);
  // items reads every object of the array |v| as an Owner, member by member,
  // and keeps each that loaded: a member that does not load fails its item
  // when fails_item(row); complete(item, object, its path) checks the item
  // as a whole (reporting what is wrong) and says whether it holds together.
  template <typename Owner, typename FailsItem, typename Complete>
  void items(element v, const std::string& path, const char* what, PolicyKind kind, bool signing,
             FailsItem fails_item, Complete complete, std::vector<Owner>& out);

  const LoadOptions& opts_;
  Diagnostics& diag_;
};

bool JsonReader::expect_object(element v, const std::string& path, object& out) {
  if (v.type() != element_type::OBJECT) {
    diag_.error("must be a JSON object", path);
    return false;
  }
  // Repeated members never get here: PolicyJsonDocument::load refuses the
  // document.
  out = v.get_object().value_unsafe();
  return true;
}

// string_value reads a JSON string under the row's rules on expressions and
// named values, and resolves it.
template <typename Owner>
JsonReader::Resolved JsonReader::string_value(const Attribute<Owner>& row, element v,
                                              const std::string& path, std::string& out) {
  if (v.type() != element_type::STRING) {
    diag_.error("must be a string", path);
    return Resolved::Refused;
  }
  std::string_view raw = v.get_string().value_unsafe();
  if (std::string why = refusal(row, raw, "here"); !why.empty()) {
    diag_.error(std::move(why), path);
    return Resolved::Refused;
  }
  return resolve_policy_value(raw, opts_, out, diag_, path) ? Resolved::Yes : Resolved::Failed;
}

// text_member reads a JSON string and converts it to the row's type (XML
// attributes and named values carry booleans and numbers as text).
template <typename Owner>
bool JsonReader::text_member(const Attribute<Owner>& row, element v, const std::string& path,
                             Owner& o) {
  std::string s;
  switch (string_value(row, v, path, s)) {
    case Resolved::Refused:
      return false;
    case Resolved::Failed:
      keep_partial(row, std::move(s), o);
      return false;
    case Resolved::Yes:
      break;
  }
  return store_text(row, std::move(s), o, [&](std::string m) { diag_.error(std::move(m), path); });
}

template <typename Owner>
std::vector<std::string> JsonReader::string_list(const Attribute<Owner>& row, element v,
                                                 const std::string& path) {
  std::vector<std::string> out;
  if (v.type() != element_type::ARRAY) {
    diag_.error("must be an array of strings", path);
    return out;
  }
  size_t i = 0;
  for (element item : simdjson::dom::array(v.get_array().value_unsafe())) {
    std::string s;
    if (string_value(row, item, path + "[" + std::to_string(i) + "]", s) == Resolved::Yes)
      out.push_back(std::move(s));
    ++i;
  }
  return out;
}

// member reads the member |v| of row |row| into |o|.
template <typename Owner>
bool JsonReader::member(const Attribute<Owner>& row, element v, const std::string& path,
                        Owner& o) {
  const Report report = [&](std::string m) { diag_.error(std::move(m), path); };
  switch (row.type) {
    case AttrType::SchemaIgnored:
    case AttrType::SchemaUnsupported:
      diag_.warn(schema_only_warning(row), path);
      return true;
    case AttrType::String:
    case AttrType::Choice:
      return text_member(row, v, path, o);
    case AttrType::Bool:
      if (v.type() == element_type::BOOL)
        return store_int(row, v.get_bool().value_unsafe() ? 1 : 0, o, report);
      if (v.type() == element_type::STRING) return text_member(row, v, path, o);
      diag_.error("must be true or false", path);
      return false;
    case AttrType::Int:
      if (v.type() == element_type::INT64) return store_int(row, v.get_int64().value_unsafe(), o, report);
      if (v.type() == element_type::UINT64) {
        diag_.error("is out of range", path);
        return false;
      }
      if (v.type() == element_type::STRING) return text_member(row, v, path, o);
      diag_.error("must be an integer", path);
      return false;
    case AttrType::Algorithms:
      return store_names(row, string_list(row, v, path), o, report);
    case AttrType::StringList: {
      for (std::string& s : string_list(row, v, path)) store_text(row, std::move(s), o, report);
      // APIM: "At least one audience must be specified" when the element is
      // there; an empty list would silently disable the check (audiences,
      // issuers).
      if (row.non_empty && v.type() == element_type::ARRAY &&
          simdjson::dom::array(v.get_array().value_unsafe()).size() == 0) {
        diag_.error(std::string(row.json) + " is empty: at least one " + row.item +
                        " must be specified",
                    path);
        return false;
      }
      return true;
    }
  }
  return false;
}

template <typename Fn>
void JsonReader::each_object(element v, const std::string& path, const char* what, Fn fn) {
  if (v.type() != element_type::ARRAY) {
    diag_.error(std::string("must be an array of ") + what, path);
    return;
  }
  size_t i = 0;
  for (element item : simdjson::dom::array(v.get_array().value_unsafe())) {
    std::string ip = path + "[" + std::to_string(i++) + "]";
    object o;
    if (expect_object(item, ip, o)) fn(o, ip);
  }
}

template <typename Owner, typename Fn>
void JsonReader::each_member(object o, const std::string& path, PolicyKind kind, Fn fn,
                             bool signing) {
  for (auto f : o) {
    const Attribute<Owner>* row = find_json_attribute<Owner>(f.key, kind, signing);
    if (row) fn(*row, f.value, path + "." + std::string(f.key));
    else diag_.error("unknown member \"" + std::string(f.key) + "\"", path);
  }
}

template <typename Owner, typename FailsItem, typename Complete>
void JsonReader::items(element v, const std::string& path, const char* what, PolicyKind kind,
                       bool signing, FailsItem fails_item, Complete complete,
                       std::vector<Owner>& out) {
  each_object(v, path, what, [&](object o, const std::string& ip) {
    Owner item;
    bool loaded = true;
    each_member<Owner>(
        o, ip, kind,
        [&](const Attribute<Owner>& row, element value, const std::string& mp) {
          if (!member(row, value, mp, item) && fails_item(row)) loaded = false;
        },
        signing);
    if (complete(item, o, ip) && loaded) out.push_back(std::move(item));
  });
}

template <typename Owner>
void JsonReader::list(element v, const std::string& path, PolicyKind kind,
                      std::vector<Owner>& out, bool signing) {
  const auto refuse = [&](std::string why, const std::string& ip) {
    diag_.error(std::move(why), ip);
    return false;
  };
  if constexpr (std::is_same_v<Owner, PolicyKey>) {
    items<PolicyKey>(
        v, path, "key objects", kind, signing, [](const Attribute<PolicyKey>&) { return false; },
        [&](const PolicyKey& k, object, const std::string& ip) {
          std::string why = key_forms_problem(k, "\"value\" (base64 secret)");
          return why.empty() || refuse(std::move(why), ip);
        },
        out);
  } else {
    // openid-config: a required member that does not load fails its item,
    // and one left out is reported. A claim: a bad value fails it, a bad
    // entry of a list only itself, and a required member must not be empty.
    constexpr bool claim = std::is_same_v<Owner, RequiredClaim>;
    items<Owner>(
        v, path, claim ? "claim objects" : "{\"url\": ...} objects", kind, signing,
        [](const Attribute<Owner>& row) {
          return claim ? row.type != AttrType::StringList : row.required;
        },
        [&](const Owner& item, object o, const std::string& ip) {
          bool complete = true;
          for (const Attribute<Owner>& row : attribute_table<Owner>().rows) {
            if (!row.required || (claim ? !is_default(row, item) : !o[row.json].error())) continue;
            complete = refuse(required_missing(row), ip);
          }
          return complete;
        },
        out);
  }
}

void JsonReader::extensions(element v, const std::string& path, PolicyKind kind,
                            Extensions& ext) {
  object o;
  if (!expect_object(v, path, o)) return;
  for (auto f : o) {
    const Attribute<Extensions>* row = find_json_attribute<Extensions>(f.key, kind);
    if (row) member(*row, f.value, path + "." + std::string(f.key), ext);
    else diag_.error("unknown jwtgate extension \"" + std::string(f.key) + "\"", path);
  }
}

void JsonReader::policy(object obj, PolicyKind kind, const std::string& path, Policy& p) {
  p = Policy{};
  p.kind = kind;
  int sources = 0;
  for (auto f : obj) {
    const std::string_view k = f.key;
    const std::string fp = path + "." + std::string(k);
    if (const Attribute<Policy>* row = find_json_attribute<Policy>(k, kind)) {
      if (row->token_source) {
        ++sources;
        p.source = *row->token_source;
      }
      member(*row, f.value, fp, p);
      continue;
    }
    const PolicyElement* element = find_policy_element(k, kind);
    if (!element) {
      diag_.error("unknown member \"" + std::string(k) + "\" for " + policy_element_name(kind),
                  path);
      continue;
    }
    switch (element->id) {
      case PolicyElementId::OpenIdConfig:
        list(f.value, fp, kind, p.openid_configs);
        break;
      case PolicyElementId::IssuerSigningKeys:
        list(f.value, fp, kind, p.issuer_signing_keys, true);
        break;
      case PolicyElementId::DecryptionKeys:
        list(f.value, fp, kind, p.decryption_keys, false);
        break;
      case PolicyElementId::RequiredClaims:
        list(f.value, fp, kind, p.required_claims);
        break;
      case PolicyElementId::Extensions:
        extensions(f.value, fp, kind, p.ext);
        break;
      case PolicyElementId::IssuerSigningTokens:
        diag_.warn(std::string(k) + " is known only to the APIM schema and is ignored", fp);
        break;
    }
  }
  // Every required attribute at its default is reported, one that failed to
  // load too (this reader keeps no record of failures).
  check_policy_element(
      p, kind, sources, [](const Attribute<Policy>&) { return false; },
      [&](std::string message) { diag_.error(std::move(message), path); });
}

}  // namespace

bool load_policy_json(std::string_view text, const LoadOptions& opts, Policy& out,
                      Diagnostics& diag) {
  return load_chosen<PolicyJsonDocument>(
      text, opts, diag, [&](const PolicyJsonDocument&, const PolicyJsonDocument::Candidate& chosen) {
        JsonReader(opts, diag).policy(chosen.obj, chosen.kind, chosen.path, out);
      });
}

}  // namespace jwtgate

#include "diagnose/near_miss.h"

#include <algorithm>
#include <array>
#include <vector>

#include "claims/registered_claims.h"
#include "core/ascii.h"
#include "core/text_match.h"
#include "diagnose/issuer_family.h"

namespace jwtgate {

namespace {

// normalized: |v| with the literal relaxations of |relax| applied.
std::string normalized(std::string_view v, uint16_t relax) {
  if (relax & kRelaxWhitespace) v = trim_ascii_space(v);
  std::string out;
  if ((relax & kRelaxScheme) && ascii_istarts_with(v, "http://")) {
    out = "https://";
    out.append(v.substr(7));
  } else {
    out.assign(v);
  }
  if (relax & kRelaxTrailingSlash)
    while (!out.empty() && out.back() == '/') out.pop_back();
  if (relax & kRelaxCase)
    for (char& c : out) c = ascii_lower(c);
  if (relax & kRelaxSeparator)
    for (char& c : out)
      if (c == '_') c = '-';
  return out;
}

int popcount(uint16_t v) {
  int n = 0;
  for (; v; v &= static_cast<uint16_t>(v - 1)) ++n;
  return n;
}

// literal: the smallest subset of |allowed| (literal relaxations only) that
// makes |a| and |b| equal; false when none does.
bool literal(std::string_view a, std::string_view b, uint16_t allowed, uint16_t& out) {
  std::vector<uint16_t> subsets;
  for (uint16_t m = 1; m <= allowed; ++m)
    if ((m & allowed) == m) subsets.push_back(m);
  std::stable_sort(subsets.begin(), subsets.end(),
                   [](uint16_t x, uint16_t y) { return popcount(x) < popcount(y); });
  for (uint16_t m : subsets)
    if (normalized(a, m) == normalized(b, m)) {
      out = m;
      return true;
    }
  return false;
}

std::string_view strip_app_id_uri(std::string_view v) {
  v = trim_ascii_space(v);
  if (v.size() > 6 && ascii_istarts_with(v, "api://")) v.remove_prefix(6);
  while (!v.empty() && v.back() == '/') v.remove_suffix(1);
  return v;
}

bool has_app_id_uri_prefix(std::string_view v) {
  v = trim_ascii_space(v);
  return v.size() > 6 && ascii_istarts_with(v, "api://");
}

bool microsoft_workforce(const IssuerInfo& i) {
  return i.family == IssuerFamily::Entra || i.family == IssuerFamily::MicrosoftAccount;
}

// entra_forms: both are Entra issuers of one tenant, written in other forms.
uint16_t entra_forms(std::string_view token, std::string_view policy) {
  const IssuerInfo t = classify_issuer(trim_ascii_space(token));
  const IssuerInfo p = classify_issuer(trim_ascii_space(policy));
  if (!microsoft_workforce(t) || !microsoft_workforce(p)) return 0;
  if (t.tenant.empty() || !guid_equal(t.tenant, p.tenant)) return 0;
  // sts.windows.net issues the v1.0 tokens of the public cloud and of Azure
  // Government alike: its cloud does not differ from either.
  const bool ambiguous = t.host == "sts.windows.net" || p.host == "sts.windows.net";
  const bool other_cloud = !ambiguous && t.cloud != p.cloud;
  uint16_t r = 0;
  if (t.entra_version && p.entra_version && t.entra_version != p.entra_version) r |= kRelaxEntraVersion;
  if (other_cloud) r |= kRelaxCloud;
  if (!r && t.host != p.host) r |= kRelaxEntraHost;
  if (!r) {
    // Same host, tenant and version: what differs is literal.
    uint16_t lit = 0;
    if (literal(token, policy, kRelaxWhitespace | kRelaxTrailingSlash | kRelaxCase | kRelaxScheme, lit))
      return lit;
  }
  return r;
}

// Damerau-Levenshtein distance (optimal string alignment), ASCII case
// ignored, stopping early above |limit|.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) &&
          ascii_lower(a[i - 2]) == ascii_lower(b[j - 1]))
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    prev2.swap(prev);
    prev.swap(cur);
  }
  return prev[b.size()];
}

}  // namespace

bool guid_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (!(is_guid(a) && is_guid(b))) return a == b;
  return ascii_iequals(a, b);
}

uint16_t near_miss(std::string_view token, std::string_view policy) {
  if (token == policy) return 0;
  uint16_t r = 0;
  if (literal(token, policy, kRelaxWhitespace | kRelaxTrailingSlash | kRelaxCase | kRelaxScheme, r))
    return r;
  // The App ID URI api://{appId} of an Entra application against its
  // application (client) ID: v1.0 tokens carry whichever the client asked
  // for, v2.0 tokens always the GUID (Entra ID, access token claims).
  if (has_app_id_uri_prefix(token) != has_app_id_uri_prefix(policy)) {
    const std::string_view t = strip_app_id_uri(token), p = strip_app_id_uri(policy);
    if (is_guid(t) && is_guid(p) && guid_equal(t, p)) return kRelaxAppIdUri;
  }
  return entra_forms(token, policy);
}

uint16_t name_near_miss(std::string_view found, std::string_view expected, bool case_matters) {
  if (case_matters ? found == expected : ascii_iequals(found, expected)) return 0;
  const uint16_t allowed = kRelaxWhitespace | kRelaxSeparator | kRelaxCase;
  uint16_t r = 0;
  if (literal(found, expected, allowed, r)) return case_matters ? r : static_cast<uint16_t>(r & ~kRelaxCase);
  const std::string_view f = trim_ascii_space(found), e = trim_ascii_space(expected);
  if (f.size() < 5 || e.size() < 5) return 0;
  const size_t limit = std::min(f.size(), e.size()) >= 8 ? 2 : 1;
  if (edit_distance(f, e, limit) <= limit) return kRelaxTypo;
  return 0;
}

std::string describe_difference(uint16_t r) {
  std::vector<std::string_view> parts;
  if (r & kRelaxCase) parts.push_back("letter case");
  if (r & kRelaxTrailingSlash) parts.push_back("a trailing '/'");
  if (r & kRelaxWhitespace) parts.push_back("surrounding whitespace");
  if (r & kRelaxScheme) parts.push_back("http:// against https://");
  if (r & kRelaxAppIdUri) parts.push_back("the App ID URI form api://{GUID} against the bare GUID");
  if (r & kRelaxEntraVersion) parts.push_back("Entra ID's v1.0 against v2.0 issuer form of the same tenant");
  if (r & kRelaxEntraHost) parts.push_back("the host (login.microsoftonline.com against sts.windows.net) of the same tenant");
  if (r & kRelaxCloud) parts.push_back("the national cloud's host of the same tenant");
  if (r & kRelaxSeparator) parts.push_back("'-' against '_'");
  if (r & kRelaxTypo) parts.push_back("a letter or two (a typo)");
  std::string out = "differs only by ";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

}  // namespace jwtgate

// Which identity provider issued a token, from the shape of its iss (and,
// where iss does not tell, from claims only that provider emits), so that an
// explanation gives advice that fits the issuer: accessTokenAcceptedVersion
// only for Entra ID access tokens, App ID URIs only for Microsoft issuers,
// the audience parameter for Auth0, a custom authorization server for Okta.
// The issuer shapes and their public sources are listed in docs/diagnosis.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "claims/claim_text.h"
#include "core/enum_text.h"

namespace jwtgate {

#define JWTGATE_ENUM IssuerFamily
#define JWTGATE_ENUM_LIST "diagnose/issuer_families.def"
#include "core/enum_with_words.inc"
inline constexpr int kIssuerFamilyCount = static_cast<int>(std::size(EnumWords<IssuerFamily>::table));

enum class Cloud : uint8_t { Unknown, Public, UsGovernment, China };

// FamilySet: a set of families, for the rule table (finding_rules.h).
using FamilySet = uint16_t;
constexpr FamilySet family_bit(IssuerFamily f) { return static_cast<FamilySet>(1u << static_cast<int>(f)); }
inline constexpr FamilySet kAllFamilies = static_cast<FamilySet>((1u << kIssuerFamilyCount) - 1);
inline constexpr FamilySet kMicrosoftFamilies =
    family_bit(IssuerFamily::Entra) | family_bit(IssuerFamily::MicrosoftAccount) |
    family_bit(IssuerFamily::AzureAdB2C) | family_bit(IssuerFamily::ExternalId);

// FamilyText: a text (advice) for the families of a set, for tables that
// say one thing per issuer family.
struct FamilyText {
  FamilySet families;
  std::string_view text;
};

// text_for_family: the text of the first row of |table| whose set holds
// |family|, or "" when none does.
template <size_t N>
constexpr std::string_view text_for_family(const FamilyText (&table)[N], IssuerFamily family) {
  for (const FamilyText& row : table)
    if (row.families & family_bit(family)) return row.text;
  return {};
}

struct IssuerInfo {
  IssuerFamily family = IssuerFamily::Unknown;
  Cloud cloud = Cloud::Unknown;  // Microsoft issuers
  // Entra issuer forms: 1 for https://sts.windows.net/{tid}/ (and the China
  // cloud's sts.chinacloudapi.cn), 2 for https://login.../{tid}/v2.0; 0 for
  // any other form (or another family).
  int entra_version = 0;
  std::string host;    // lower-cased, without port
  std::string tenant;  // Microsoft tenant (GUID or name), Auth0 tenant, Okta org, Keycloak realm, Cognito pool
  // Okta: the authorization server ("default", an id; "" for the org
  // server); B2C: the user flow of a tfp issuer; Cognito: the region.
  std::string detail;
  bool from_claims = false;  // the family was told by claims, not by iss
};

// classify_issuer classifies an iss value by its shape alone.
IssuerInfo classify_issuer(std::string_view iss);

// classify_token classifies a token's issuer: iss first (absent or masked:
// pass ""), then claims only one family emits, where iss does not tell:
// B2C's tfp or a B2C_1_/B2C_1A_ acr (a B2C custom domain), Cognito's
// token_use, Keycloak's typ, Entra's ver "1.0"/"2.0" beside tid.
// A masked claim (claim_text.h) is never read.
IssuerInfo classify_token(std::string_view iss, simdjson::dom::object claims, bool claims_available,
                          const ClaimMask* mask = nullptr);

// issuer_label: a person's name for the issuer, e.g. "Entra ID (public
// cloud)", "Azure AD B2C", "Okta (org authorization server)", "other
// (HOST)". Text from the token in it is escaped.
std::string issuer_label(const IssuerInfo& info);

// A family's code and words: code_of(f) ("entra", "azure_ad_b2c", "auth0", ...),
// words_of(f) ("Entra ID", "Azure AD B2C", "Auth0", ...).

// The personal Microsoft account tenant (Entra's "consumers").
inline constexpr std::string_view kMsaTenant = "9188040d-6c67-4c5b-b112-36a304b66dad";

}  // namespace jwtgate

// What an explanation reasons from, read once from a result, and the list
// the finders add to. Internal to diagnose/.
//
// Every value of the token that enters a title, evidence or check is
// written through json() (the claim's JSON text, escaped, "***" when
// masked) or core/quote.h; a masked claim's value is not reasoned about
// either (str() is "" for it), so that no finding gives it away in another
// form (its host, its tenant, its token version).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diagnose/diagnosis.h"
#include "diagnose/issuer_family.h"
#include "diagnose/token_kind.h"

namespace jwtgate {

class Facts {
 public:
  Facts(const Result& r, const Policy& p);

  const Result& r;
  const Policy& p;
  IssuerInfo issuer;      // the token's issuer (iss, or claims where iss does not tell)
  std::string version;    // token_version: "Entra ID v1.0" / "v2.0", or ""
  TokenKindEvidence kind;

  IssuerFamily family() const { return issuer.family; }
  // entra: an Entra ID workforce or personal-account token.
  bool entra() const {
    return issuer.family == IssuerFamily::Entra || issuer.family == IssuerFamily::MicrosoftAccount;
  }
  bool microsoft() const { return (family_bit(issuer.family) & kMicrosoftFamilies) != 0; }

  bool has_claims() const { return r.claims_available; }
  bool masked(std::string_view name) const;
  // str: a string claim's value to reason with; "" when absent, not a
  // string, or masked. Never written as it is: see json().
  std::string str(std::string_view name) const;
  bool has(std::string_view name) const;
  // json: the claim's value for a sentence (claims/claim_text.h).
  std::string json(std::string_view name) const;
  // strings: the string values of a claim (a string, split on spaces when
  // |split|; or an array's strings); empty when masked or absent.
  std::vector<std::string> strings(std::string_view name, bool split = false) const;
  bool header_has(std::string_view name) const;
  std::string header_str(std::string_view name) const;
  const Failure* failed(jwtgate_reason reason, std::string_view subject = {}) const;
  const Failure* failed_compared(Compared what) const;
  bool alg_is_hmac() const;
  // The allowed issuers the token was compared with (the failure's
  // evidence; else <issuers> and the discovered ones).
  std::vector<std::string> allowed_issuers() const;
  // The token as presented (the result's copy: the request may be gone);
  // for an encrypted token that decrypted, the signed token inside it, whose
  // signature and claims were checked.
  std::string_view presented() const {
    return r.encrypted && !r.token.compact.empty() ? r.token.compact : std::string_view(r.presented);
  }
};

class Findings {
 public:
  explicit Findings(const Facts& f) : f_(f) {}
  // add records a finding, unless its rule (finding_rules.h) says its
  // advice does not fit the token's issuer family; returns it, or nullptr.
  Finding* add(int rank, std::string_view code, std::string title, std::string evidence, std::string fix,
               std::string next = {});
  bool has(std::string_view code) const;
  std::vector<Finding>& list() { return list_; }

 private:
  const Facts& f_;
  std::vector<Finding> list_;
};

// The finders, one per concern; each adds what the evidence supports.
void find_token_location(const Facts& f, Findings& out);  // family 2: where the token is
void find_token_kind(const Facts& f, Findings& out);      // family 4: what the token is
void find_signature(const Facts& f, Findings& out);       // family 3: why the signature fails
void find_lifetime(const Facts& f, Findings& out);
void find_comparisons(const Facts& f, Findings& out);     // families 1 and 5: issuer, audience, claims

// Shared wording.
std::string quoted_values(const std::string* values, size_t count);
std::string quoted_values(const std::vector<std::string>& v);
std::string tenant_of(std::string_view url);  // the first GUID path segment
// scope_for: the scope a client asks for to get a token for |audience|
// from the token's issuer family ("api://.../.default", an Auth0
// audience parameter, ...), as a sentence fragment.
std::string request_token_for(const Facts& f, std::string_view audience);

}  // namespace jwtgate

#include "libjwt_peer.h"

#include <cstdlib>
#include <cstring>

#include <jwt.h>

namespace bench {

bool LibjwtPeer::supports(Alg alg) {
  return alg == Alg::HS256 || alg == Alg::RS256 || alg == Alg::ES256;
}

LibjwtPeer::LibjwtPeer(const Scenario& sc) : tokens_(sc.tokens) {
  const TestKey& k = sc.family->signer();
  key_ = sc.alg == Alg::HS256 ? std::string(k.secret.begin(), k.secret.end()) : public_pem(k.pkey);
}

bool LibjwtPeer::validate(size_t i, long now) const {
  jwt_t* jwt = nullptr;
  const std::string& t = tokens_[i % tokens_.size()];
  if (jwt_decode(&jwt, t.c_str(), reinterpret_cast<const unsigned char*>(key_.data()),
                 static_cast<int>(key_.size())) != 0)
    return false;
  // The same policy jwtgate applies, written the way libjwt 1.10 users
  // must: by hand, with its getters.
  const char* iss = jwt_get_grant(jwt, "iss");
  const char* aud = jwt_get_grant(jwt, "aud");
  const char* scp = jwt_get_grant(jwt, "scp");
  const long exp = jwt_get_grant_int(jwt, "exp");
  const long nbf = jwt_get_grant_int(jwt, "nbf");
  bool ok = iss && std::strcmp(iss, kIssuer) == 0 && aud && std::strcmp(aud, kAudience) == 0 &&
            exp > 0 && now < exp + 60 && now + 60 >= nbf && scp &&
            std::strstr(scp, "User.Read") && std::strstr(scp, "Files.Read");
  if (ok) {
    char* roles = jwt_get_grants_json(jwt, "roles");
    ok = roles && (std::strstr(roles, "\"Data.Read\"") || std::strstr(roles, "\"Admin\""));
    std::free(roles);
  }
  jwt_free(jwt);
  return ok;
}

}  // namespace bench

// libjwt (Debian's libjwt-dev 1.10) as a peer: what a C program that uses it
// does per token. libjwt 1.10 takes the key as PEM text (or the raw HMAC
// secret) and parses it on every jwt_decode, which is most of its cost; it
// has no kid lookup, no PS256 and no EdDSA, and checks no claims, so the
// caller checks iss, aud, exp, nbf, scp and roles itself with libjwt's
// getters. The benchmark hands it the right key directly: the kid lookup
// among 8 keys that jwtgate does is work libjwt is spared.
#pragma once

#include <string>

#include "fixture.h"

namespace bench {

class LibjwtPeer {
 public:
  // supports says whether libjwt 1.10 implements |alg|.
  static bool supports(Alg alg);
  explicit LibjwtPeer(const Scenario& sc);
  // validate decodes, verifies and checks token |i| (mod the token count)
  // at |now|. Thread-safe.
  bool validate(size_t i, long now) const;

 private:
  std::string key_;  // PEM public key, or the HMAC secret
  std::vector<std::string> tokens_;
};

}  // namespace bench

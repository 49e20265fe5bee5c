// What a policy allows of an encrypted token: the JWE alg and enc
// allow-lists and the key rules. Apart from the header parser (jwe_header.h)
// so that the policy holds them without the JSON parser's header.
#pragma once

#include "crypto/key.h"
#include "jwe/jwe_algorithms.h"

namespace jwtgate {

// What the header rules allow: the policy's allow-lists.
struct JweHeaderRules {
  KeyAlgSet algs = kDefaultKeyAlgs;
  ContentEncSet encs = kDefaultContentEncs;
};

struct JweDecryptOptions {
  JweHeaderRules header;  // alg / enc allow-lists
  KeyRules key_rules;     // RSA floor
};

}  // namespace jwtgate

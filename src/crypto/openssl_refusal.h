// fail: the end of a key check that refuses the key: the reason goes to
// |why| (when the caller wants one) and OpenSSL's error queue is emptied, so
// that a refused key leaves no errors behind for the next caller on this
// thread to misread as its own.
#pragma once

#include <string>
#include <utility>

#include <openssl/err.h>

namespace jwtgate {

inline bool fail(std::string* why, std::string text) {
  if (why) *why = std::move(text);
  ERR_clear_error();
  return false;
}

}  // namespace jwtgate

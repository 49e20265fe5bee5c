/* check.h - the assertions of the C API tests (tests/capi), once: a CHECK
 * that counts and reports each failure with its line and goes on, and the
 * small helpers several tests read errors and files with. Header-only
 * (static), C99 -pedantic, and C++ too (test_alloc_failure.cpp,
 * test_cpp_wrapper.cpp). Each test prints its own summary line from
 * |checks| and |failures| and exits non-zero when |failures| is. */
#ifndef JWTGATE_TESTS_CAPI_CHECK_H
#define JWTGATE_TESTS_CAPI_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwtgate.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* check_passed_failed prints "N passed, M failed" and returns the exit
 * status. */
static inline int check_passed_failed(void) {
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}

/* error_has: the list's text (every entry, warnings included) mentions
 * |needle|; a NULL list mentions nothing. */
static inline int error_has(const jwtgate_error *err, const char *needle) {
  return err && strstr(jwtgate_error_text(err), needle) != NULL;
}

/* check_read_file: the whole file at |path|, NUL-terminated, in a malloc'd
 * buffer (the caller frees it), its length in *len; NULL when it cannot be
 * read. */
static inline char *check_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (char *)malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) {
    buf[n] = '\0';
    *len = (size_t)n;
  }
  return buf;
}

#endif

/* check_reasons FILE: the reason numbers never move. FILE (reasons.txt) holds
 * every "NAME NUMBER" ever given; each must still be in JWTGATE_REASON_LIST
 * with the same number, and every entry of the list must be in the file (a
 * new reason is recorded there when it is added). Also checks that
 * jwtgate_reason_str and jwtgate_reason_apim of the linked library agree with
 * the list. C99, public header only. */
#include <jwtgate.h>
#include <stdio.h>
#include <string.h>

struct row {
  const char *name;
  int number;
  const char *code;
  const char *apim;
};

#define ROW_(name, number, code, apim, text) {#name, number, code, apim},
static const struct row rows[] = {JWTGATE_REASON_LIST(ROW_)};
#undef ROW_
#define NROWS (sizeof rows / sizeof rows[0])

int main(int argc, char **argv) {
  int failures = 0;
  size_t i;
  int seen[sizeof rows / sizeof rows[0]] = {0};
  char name[128];
  int number;
  char line[256];
  FILE *f;
  if (argc != 2 || !(f = fopen(argv[1], "r"))) {
    fprintf(stderr, "usage: check_reasons reasons.txt\n");
    return 2;
  }
  while (fgets(line, sizeof line, f)) {
    int found = 0;
    if (line[0] == '#' || line[0] == '\n') continue;
    if (sscanf(line, "%127s %d", name, &number) != 2) {
      fprintf(stderr, "bad line in %s: %s", argv[1], line);
      failures++;
      continue;
    }
    for (i = 0; i < NROWS; i++) {
      if (strcmp(rows[i].name, name) != 0) continue;
      found = 1;
      seen[i] = 1;
      if (rows[i].number != number) {
        fprintf(stderr, "JWTGATE_REASON_%s moved from %d to %d\n", name, number, rows[i].number);
        failures++;
      }
    }
    if (!found) {
      fprintf(stderr, "JWTGATE_REASON_%s (%d) was removed from the list\n", name, number);
      failures++;
    }
  }
  fclose(f);
  for (i = 0; i < NROWS; i++) {
    if (!seen[i]) {
      fprintf(stderr, "JWTGATE_REASON_%s (%d) is not recorded in %s\n", rows[i].name,
              rows[i].number, argv[1]);
      failures++;
    }
    if (strcmp(jwtgate_reason_str((jwtgate_reason)rows[i].number), rows[i].code) != 0 ||
        strcmp(jwtgate_reason_apim((jwtgate_reason)rows[i].number), rows[i].apim) != 0) {
      fprintf(stderr, "the library's names for JWTGATE_REASON_%s differ from the list\n",
              rows[i].name);
      failures++;
    }
  }
  if (failures) return 1;
  printf("%u reasons, numbers as recorded\n", (unsigned)NROWS);
  return 0;
}

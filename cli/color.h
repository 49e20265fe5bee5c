// Colour: the one place that decides whether standard output gets ANSI
// colours, and the colours the CLI's own text uses. Text the library
// colours (explanations, descriptions) gets the same decision as its color
// argument.
#pragma once

#include "args.h"

namespace cli {

// use_color consumes --color WHEN and --no-color (--color=never) of a
// command that takes them: always and never decide; auto, the default,
// colours only when standard output is a terminal and NO_COLOR is unset or
// empty (https://no-color.org: a command-line flag wins over it).
bool use_color(Args& args);

// Palette: ANSI sequences, or "" when there is no colour.
struct Palette {
  const char* good = "";
  const char* bad = "";
  const char* warn = "";
  const char* bold = "";
  const char* off = "";
};
Palette palette(bool color);

}  // namespace cli

// The one translation unit that builds Catch2's runner (Catch2 v2, Debian 12).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

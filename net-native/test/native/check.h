// The assertion macro and tallies shared by the plain C++ test files of native-tests (native_tests.cc holds
// main and the counts). A failed CHECK prints its place and continues, so one run reports every failure.
#pragma once

#include <cstdio>

extern int g_passed, g_failed;

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (cond) {                                                               \
      ++g_passed;                                                             \
    } else {                                                                  \
      ++g_failed;                                                             \
      std::fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
    }                                                                         \
  } while (0)

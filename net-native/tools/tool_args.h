// Tiny "--name value" argument reader shared by the benchmark tools. Not for the addon.
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace xdpchain {

class ToolArgs {
 public:
  ToolArgs(int argc, char** argv) : argc_(argc), argv_(argv) {}
  std::string str(const char* name, const char* fallback) const {
    for (int i = 1; i + 1 < argc_; ++i) {
      if (std::strcmp(argv_[i], name) == 0) return argv_[i + 1];
    }
    if (!fallback) {
      std::fprintf(stderr, "missing %s\n", name);
      std::exit(2);
    }
    return fallback;
  }
  uint64_t num(const char* name, const char* fallback) const { return std::strtoull(str(name, fallback).c_str(), nullptr, 10); }
  uint32_t ip(const char* name) const {
    in_addr a{};
    if (inet_pton(AF_INET, str(name, nullptr).c_str(), &a) != 1) {
      std::fprintf(stderr, "bad IPv4 address for %s\n", name);
      std::exit(2);
    }
    return ntohl(a.s_addr);
  }
  void mac(const char* name, uint8_t out[6]) const {
    unsigned v[6];
    if (std::sscanf(str(name, nullptr).c_str(), "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6) {
      std::fprintf(stderr, "bad MAC for %s\n", name);
      std::exit(2);
    }
    for (int i = 0; i < 6; ++i) out[i] = static_cast<uint8_t>(v[i]);
  }

 private:
  int argc_;
  char** argv_;
};

}  // namespace xdpchain

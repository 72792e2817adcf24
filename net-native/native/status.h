// Result of a native operation: a stable code (XDP_ERROR_...), the errno that caused it and a short detail.
// The plain C++ layer never throws; the N-API binding turns a failed Status into a JavaScript error whose
// `code` is the string below. Codes are append-only: their strings are part of the JavaScript contract.
#pragma once

#include <cstdint>
#include <string>

namespace xdpchain {

enum class ErrorCode : uint8_t {
  Ok = 0,
  InvalidArgument,   // bad options from the caller (a programmer error on the JS side)
  Interface,         // interface missing or unusable (if_nametoindex, ioctl)
  Socket,            // socket(AF_XDP) failed: kernel without AF_XDP or missing CAP_NET_RAW
  UmemRegister,      // mmap / setsockopt(XDP_UMEM_REG): memlock limit or CAP_IPC_LOCK
  RingSetup,         // ring size setsockopt or mmap of a ring
  Bind,              // bind(): queue id out of range, mode unsupported, busy queue
  ProgramLoad,       // bpf(BPF_PROG_LOAD / BPF_MAP_CREATE): CAP_BPF or verifier
  Attach,            // bpf_link_create(BPF_XDP): another program attached, mode unsupported
  MapUpdate,         // bpf(BPF_MAP_UPDATE_ELEM)
  Netlink,           // route / neighbour queries
  Netns,             // setns(2)
  Thread,            // std::thread / eventfd
  Closed,            // the engine was closed
  TestRun,           // bpf(BPF_PROG_TEST_RUN)
};

inline const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::Ok: return "XDP_OK";
    case ErrorCode::InvalidArgument: return "XDP_ERROR_INVALID_ARGUMENT";
    case ErrorCode::Interface: return "XDP_ERROR_INTERFACE";
    case ErrorCode::Socket: return "XDP_ERROR_SOCKET";
    case ErrorCode::UmemRegister: return "XDP_ERROR_UMEM_REGISTER";
    case ErrorCode::RingSetup: return "XDP_ERROR_RING_SETUP";
    case ErrorCode::Bind: return "XDP_ERROR_BIND";
    case ErrorCode::ProgramLoad: return "XDP_ERROR_PROGRAM_LOAD";
    case ErrorCode::Attach: return "XDP_ERROR_ATTACH";
    case ErrorCode::MapUpdate: return "XDP_ERROR_MAP_UPDATE";
    case ErrorCode::Netlink: return "XDP_ERROR_NETLINK";
    case ErrorCode::Netns: return "XDP_ERROR_NETNS";
    case ErrorCode::Thread: return "XDP_ERROR_THREAD";
    case ErrorCode::Closed: return "XDP_ERROR_CLOSED";
    case ErrorCode::TestRun: return "XDP_ERROR_TEST_RUN";
  }
  return "XDP_ERROR_UNKNOWN";
}

struct Status {
  ErrorCode code = ErrorCode::Ok;
  int err = 0;         // errno at the failing call, 0 when not a syscall failure
  std::string detail;  // which call failed and on what, for the log line

  bool ok() const { return code == ErrorCode::Ok; }
  static Status success() { return {}; }
  static Status fail(ErrorCode c, int e, std::string d) { return Status{c, e, std::move(d)}; }
};

}  // namespace xdpchain

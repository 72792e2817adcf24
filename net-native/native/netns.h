// Moves the calling thread into a named network namespace (/run/netns/NAME, as `ip netns add` creates) and
// back. Sockets, AF_XDP sockets, netlink sockets and threads created while inside belong to that namespace for
// their whole life, so a test or a one-machine devnet can open endpoints in several namespaces from one process.
// Threads: only the calling thread moves. Syscalls: open(2), setns(2) (needs CAP_SYS_ADMIN).
#pragma once

#include <string>

#include "status.h"

namespace xdpchain {

// Enters the namespace; *saved receives an fd of the previous one, for netns_restore().
Status netns_enter(const std::string& name, int* saved);
// Returns to the namespace saved by netns_enter() and closes the fd.
Status netns_restore(int saved);

}  // namespace xdpchain

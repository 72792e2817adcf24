// Network namespace switching for the calling thread (see netns.h).
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

namespace xdpchain {

Status netns_enter(const std::string& name, int* saved) {
  if (name.empty() || name.find('/') != std::string::npos) {
    return Status::fail(ErrorCode::InvalidArgument, 0, "netns name must be a plain name");
  }
  int current = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (current < 0) return Status::fail(ErrorCode::Netns, errno, "open(/proc/thread-self/ns/net)");
  std::string path = "/run/netns/" + name;
  int target = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    int e = errno;
    ::close(current);
    return Status::fail(ErrorCode::Netns, e, "open(" + path + ")");
  }
  int rc = ::setns(target, CLONE_NEWNET);
  int e = errno;
  ::close(target);
  if (rc != 0) {
    ::close(current);
    return Status::fail(ErrorCode::Netns, e, "setns(" + path + ")");
  }
  *saved = current;
  return Status::success();
}

Status netns_restore(int saved) {
  int rc = ::setns(saved, CLONE_NEWNET);
  int e = errno;
  ::close(saved);
  if (rc != 0) return Status::fail(ErrorCode::Netns, e, "setns(restore)");
  return Status::success();
}

}  // namespace xdpchain

// Page-aligned anonymous memory shared with JavaScript (the receive rings, the lane ring, the staging buffer):
// mmap(2) at allocation, munmap(2) when the last holder lets go. JavaScript holds one through the ArrayBuffer
// made by binding/convert.h, so ring memory outlives close() for views JavaScript still has. Any thread.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace xdpchain {

class Region {
 public:
  // Null when mmap fails (errno says why).
  static std::shared_ptr<Region> allocate(size_t bytes) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    return std::shared_ptr<Region>(new Region(static_cast<uint8_t*>(p), bytes));
  }
  ~Region() { ::munmap(data_, bytes_); }
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;
  uint8_t* data() const { return data_; }
  size_t bytes() const { return bytes_; }

 private:
  Region(uint8_t* d, size_t b) : data_(d), bytes_(b) {}
  uint8_t* data_;
  size_t bytes_;
};

}  // namespace xdpchain

// Module functions other than XdpEngine (see test_hooks.cc), the FakeNic class and LaneHarness (a lane
// pipeline fed directly with datagrams, no socket). JavaScript thread only.
#pragma once

#include <napi.h>

#include <memory>

#include "../native/fake_nic.h"
#include "../native/lane_pipeline.h"

namespace xdpchain {

class FakeNicWrap : public Napi::ObjectWrap<FakeNicWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit FakeNicWrap(const Napi::CallbackInfo& info);
  ~FakeNicWrap() override;

 private:
  Napi::Value buffer(const Napi::CallbackInfo& info);
  Napi::Value inject(const Napi::CallbackInfo& info);
  Napi::Value wait(const Napi::CallbackInfo& info);
  Napi::Value stats(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  void shutdown();

  std::unique_ptr<FakeNic> nic_;
  Napi::ThreadSafeFunction wake_;
  Napi::Reference<Napi::ArrayBuffer> buffer_;
  bool closed_ = false;
};

class LaneHarnessWrap : public Napi::ObjectWrap<LaneHarnessWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit LaneHarnessWrap(const Napi::CallbackInfo& info);
  ~LaneHarnessWrap() override;

 private:
  Napi::Value buffer(const Napi::CallbackInfo& info);
  Napi::Value submit(const Napi::CallbackInfo& info);
  Napi::Value stats(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  void shutdown();

  std::unique_ptr<LanePipeline> lane_;
  Napi::ThreadSafeFunction wake_;
  Napi::Reference<Napi::ArrayBuffer> buffer_;
  bool closed_ = false;
};

void register_test_hooks(Napi::Env env, Napi::Object exports);

}  // namespace xdpchain

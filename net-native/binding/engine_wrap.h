// JavaScript class XdpEngine over native/engine.h. Thin: reads options, converts results and errors, and owns
// the threadsafe function through which the receive threads wake JavaScript. JavaScript thread only, except
// the wake callback, which the receive threads call (NonBlockingCall is thread-safe).
#pragma once

#include <napi.h>

#include <memory>

#include "../native/engine.h"

namespace xdpchain {

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit EngineWrap(const Napi::CallbackInfo& info);
  ~EngineWrap() override;

 private:
  Napi::Value buffers(const Napi::CallbackInfo& info);
  Napi::Value send(const Napi::CallbackInfo& info);
  Napi::Value resolve(const Napi::CallbackInfo& info);
  Napi::Value stats(const Napi::CallbackInfo& info);
  Napi::Value describe(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  void shutdown();
  static void cleanup_hook(void* self);

  std::unique_ptr<Engine> engine_;
  Napi::ThreadSafeFunction wake_;
  Napi::ObjectReference buffers_;
  bool hook_added_ = false;
};

}  // namespace xdpchain

// Entry point of the xdpchain_net addon: registers XdpEngine and the module functions. Everything the addon
// holds lives in instances created from JavaScript; nothing is static, so several environments (worker
// threads) can load it side by side.
#include <napi.h>

#include "engine_wrap.h"
#include "test_hooks.h"

namespace xdpchain {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("XdpEngine", EngineWrap::define(env));
  register_test_hooks(env, exports);
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  return exports;
}

}  // namespace xdpchain

namespace {
Napi::Object init_module(Napi::Env env, Napi::Object exports) { return xdpchain::init(env, exports); }
}  // namespace

NODE_API_MODULE(xdpchain_net, init_module)

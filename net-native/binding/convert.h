// Helpers shared by the binding files: coded errors, option reading, and external ArrayBuffers over Regions.
// JavaScript thread only (they all take a Napi::Env).
#pragma once

#include <napi.h>

#include <memory>
#include <string>

#include "../native/engine.h"
#include "../native/status.h"

namespace xdpchain {

// A JavaScript Error with code "XDP_ERROR_...", errno and the failing call's detail.
inline Napi::Error status_error(Napi::Env env, const Status& st) {
  std::string msg = st.detail;
  if (st.err) msg += ": " + std::string(strerror(st.err));
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, error_code_name(st.code)));
  e.Set("errno", Napi::Number::New(env, st.err));
  e.Set("detail", Napi::String::New(env, st.detail));
  return e;
}

inline Napi::Error invalid(Napi::Env env, const std::string& what) {
  return status_error(env, Status::fail(ErrorCode::InvalidArgument, 0, what));
}

inline uint32_t get_u32(const Napi::Object& o, const char* key, uint32_t fallback) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) throw invalid(o.Env(), std::string(key) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d < 0 || d > 4294967295.0 || d != static_cast<double>(static_cast<uint32_t>(d))) {
    throw invalid(o.Env(), std::string(key) + " must be a 32-bit unsigned integer");
  }
  return static_cast<uint32_t>(d);
}

inline std::string get_string(const Napi::Object& o, const char* key, const std::string& fallback) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsString()) throw invalid(o.Env(), std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

template <typename T>
std::vector<T> get_u32_list(const Napi::Object& o, const char* key, uint32_t max) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray()) throw invalid(o.Env(), std::string(key) + " must be an array of numbers");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<T> out;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value e = a.Get(i);
    if (!e.IsNumber()) throw invalid(o.Env(), std::string(key) + " must be an array of numbers");
    uint32_t n = e.As<Napi::Number>().Uint32Value();
    if (n > max) throw invalid(o.Env(), std::string(key) + " entry out of range");
    out.push_back(static_cast<T>(n));
  }
  return out;
}

// The `lane` option object (see net-native/src/native-types.ts NativeLaneOptions): absent means no lane.
inline LaneConfig read_lane_config(const Napi::Value& v) {
  LaneConfig c;
  if (v.IsUndefined() || v.IsNull()) return c;
  Napi::Env env = v.Env();
  if (!v.IsObject()) throw invalid(env, "lane must be an object");
  Napi::Object o = v.As<Napi::Object>();
  c.enabled = true;
  uint32_t port = get_u32(o, "port", 0);
  if (port == 0 || port > 65535) throw invalid(env, "lane.port must be 1..65535");
  c.port = static_cast<uint16_t>(port);
  Napi::Value chain = o.Get("chainId");
  if (!chain.IsBigInt()) throw invalid(env, "lane.chainId must be a bigint");
  bool lossless = false;
  c.chain_id = chain.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) throw invalid(env, "lane.chainId must be a u64");
  Napi::Value tag = o.Get("domainTag");
  if (!tag.IsTypedArray() || tag.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw invalid(env, "lane.domainTag must be a Uint8Array");
  }
  Napi::Uint8Array t = tag.As<Napi::Uint8Array>();
  c.domain_tag.assign(t.Data(), t.Data() + t.ElementLength());
  c.verify_threads = get_u32(o, "verifyThreads", c.verify_threads);
  c.verify_queue_slots = get_u32(o, "verifyQueueSlots", c.verify_queue_slots);
  c.dedupe_capacity = get_u32(o, "dedupeCapacity", c.dedupe_capacity);
  c.ring_slots = get_u32(o, "ringSlots", c.ring_slots);
  return c;
}

// An ArrayBuffer over a Region, which stays alive until V8 collects the buffer. Create one per Region only:
// V8 refuses two live ArrayBuffers over the same memory.
inline Napi::ArrayBuffer region_buffer(Napi::Env env, const std::shared_ptr<Region>& region) {
  auto* hold = new std::shared_ptr<Region>(region);
  return Napi::ArrayBuffer::New(
      env, region->data(), region->bytes(), [](Napi::Env, void*, std::shared_ptr<Region>* h) { delete h; }, hold);
}

}  // namespace xdpchain

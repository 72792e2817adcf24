// XdpEngine binding (see engine_wrap.h). Open and close are synchronous on purpose: they take milliseconds
// (BPF verification, UMEM pinning, joining receive threads) and must run in the calling thread's network
// namespace, which a worker thread would not share.
#include "engine_wrap.h"

#include <cstdio>
#include <string>

#include "convert.h"
#include "stats_object.h"

namespace xdpchain {
namespace {

EngineConfig read_config(const Napi::Object& o) {
  EngineConfig c;
  c.ifname = get_string(o, "ifname", "");
  c.local_ip = get_u32(o, "localIp", 0);
  c.ports = get_u32_list<uint16_t>(o, "ports", 65535);
  c.queues = get_u32_list<uint32_t>(o, "queues", 63);
  std::string mode = get_string(o, "mode", "auto");
  if (mode == "auto") c.mode = BindMode::Auto;
  else if (mode == "skb") c.mode = BindMode::Skb;
  else if (mode == "drv") c.mode = BindMode::Drv;
  else throw invalid(o.Env(), "mode must be auto, skb or drv");
  std::string poll = get_string(o, "poll", "wakeup");
  if (poll == "wakeup") c.poll = PollMode::Wakeup;
  else if (poll == "busy") c.poll = PollMode::Busy;
  else throw invalid(o.Env(), "poll must be wakeup or busy");
  c.frame_bytes = get_u32(o, "frameBytes", c.frame_bytes);
  c.rx_frames = get_u32(o, "rxFrames", c.rx_frames);
  c.tx_frames = get_u32(o, "txFrames", c.tx_frames);
  c.ring_slots = get_u32(o, "ringSlots", c.ring_slots);
  c.ring_slot_bytes = get_u32(o, "ringSlotBytes", c.ring_slot_bytes);
  c.batch_max = get_u32(o, "batchMax", c.batch_max);
  c.staging_bytes = get_u32(o, "stagingBytes", c.staging_bytes);
  Napi::Value cpu = o.Get("rxCpu");
  c.rx_cpu = cpu.IsNumber() ? cpu.As<Napi::Number>().Int32Value() : -1;
  c.lane = read_lane_config(o.Get("lane"));
  return c;
}

std::string mac_string(const uint8_t mac[6]) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return buf;
}

}  // namespace

Napi::Function EngineWrap::define(Napi::Env env) {
  return DefineClass(env, "XdpEngine",
                     {InstanceMethod<&EngineWrap::buffers>("buffers"), InstanceMethod<&EngineWrap::send>("send"),
                      InstanceMethod<&EngineWrap::resolve>("resolve"), InstanceMethod<&EngineWrap::stats>("stats"),
                      InstanceMethod<&EngineWrap::describe>("describe"), InstanceMethod<&EngineWrap::close>("close")});
}

EngineWrap::EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    throw invalid(env, "new XdpEngine(options, onWake)");
  }
  EngineConfig config = read_config(info[0].As<Napi::Object>());
  wake_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "xdpchain-rx-wake", 0, 1);
  Napi::ThreadSafeFunction tsfn = wake_;
  Status st;
  engine_ = Engine::open(config, [tsfn]() mutable { tsfn.NonBlockingCall(); }, &st);
  if (!engine_) {
    wake_.Release();
    throw status_error(env, st);
  }
  napi_add_env_cleanup_hook(env, &EngineWrap::cleanup_hook, this);
  hook_added_ = true;

  Napi::Object b = Napi::Object::New(env);
  Napi::Array rings = Napi::Array::New(env, engine_->queues().size());
  for (uint32_t i = 0; i < engine_->queues().size(); ++i) rings.Set(i, region_buffer(env, engine_->queues()[i]->ring));
  b.Set("rings", rings);
  b.Set("staging", region_buffer(env, engine_->staging()));
  if (engine_->lane()) b.Set("lane", region_buffer(env, engine_->lane()->ring()));
  buffers_ = Napi::Persistent(b);
}

void EngineWrap::shutdown() {
  if (!engine_ || engine_->closed()) return;
  engine_->close();  // joins the receive and lane verifier threads: nothing calls wake_ after this
  wake_.Release();
}

void EngineWrap::cleanup_hook(void* self) {
  auto* w = static_cast<EngineWrap*>(self);
  w->hook_added_ = false;
  w->shutdown();
}

EngineWrap::~EngineWrap() {
  shutdown();
  if (hook_added_) napi_remove_env_cleanup_hook(Env(), &EngineWrap::cleanup_hook, this);
}

Napi::Value EngineWrap::buffers(const Napi::CallbackInfo&) { return buffers_.Value(); }

Napi::Value EngineWrap::send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (engine_->closed()) throw status_error(env, Status::fail(ErrorCode::Closed, 0, "engine closed"));
  uint32_t qi = info[0].As<Napi::Number>().Uint32Value();
  uint32_t bytes = info[1].As<Napi::Number>().Uint32Value();
  uint32_t count = info[2].As<Napi::Number>().Uint32Value();
  return Napi::Number::New(env, engine_->send(qi, bytes, count));
}

Napi::Value EngineWrap::resolve(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (engine_->closed()) throw status_error(env, Status::fail(ErrorCode::Closed, 0, "engine closed"));
  ResolveResult r = engine_->resolve(info[0].As<Napi::Number>().Uint32Value());
  Napi::Object o = Napi::Object::New(env);
  const char* state = r.state == NeighbourState::Valid ? "valid" : r.state == NeighbourState::Failed ? "failed" : "pending";
  o.Set("state", state);
  o.Set("nextHop", Napi::Number::New(env, r.next_hop));
  if (r.state == NeighbourState::Valid) o.Set("mac", Napi::Buffer<uint8_t>::Copy(env, r.mac, 6));
  if (!r.why.empty()) o.Set("why", r.why);
  return o;
}

Napi::Value EngineWrap::describe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  const InterfaceInfo& i = engine_->interface();
  o.Set("ifindex", i.ifindex);
  o.Set("mac", mac_string(i.mac));
  o.Set("mtu", i.mtu);
  o.Set("rxQueues", i.rx_queues);
  o.Set("mode", engine_->attach_mode() == AttachMode::Skb ? "skb" : "drv");
  Napi::Array queues = Napi::Array::New(env);
  Napi::Array zc = Napi::Array::New(env);
  uint32_t k = 0;
  for (auto& q : engine_->queues()) {
    queues.Set(k, q->queue);
    zc.Set(k++, Napi::Boolean::New(env, q->socket && q->socket->zero_copy()));
  }
  o.Set("queues", queues);
  o.Set("zeroCopy", zc);
  uint32_t retries = 0;
  for (auto& q : engine_->queues()) retries += q->socket ? q->socket->bind_retries() : 0;
  o.Set("bindRetries", retries);
  if (LanePipeline* lane = engine_->lane()) {
    Napi::Object l = Napi::Object::New(env);
    l.Set("port", lane->config().port);
    l.Set("verifyThreads", lane->config().verify_threads);
    l.Set("verifyQueueSlots", lane->config().verify_queue_slots);
    l.Set("dedupeCapacity", lane->config().dedupe_capacity);
    l.Set("ringSlots", lane->config().ring_slots);
    o.Set("lane", l);
  }
  return o;
}

Napi::Value EngineWrap::stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  Napi::Array queues = Napi::Array::New(env);
  uint32_t k = 0;
  for (auto& q : engine_->queues()) {
    Napi::Object qo = Napi::Object::New(env);
    qo.Set("queue", q->queue);
    qo.Set("rx", rx_counters_object(env, q->rx));
    qo.Set("tx", tx_counters_object(env, q->tx));
    qo.Set("kernel", kernel_stats_object(env, q->socket ? q->socket->kernel_stats() : XskKernelStats{}));
    queues.Set(k++, qo);
  }
  o.Set("queues", queues);
  o.Set("program", program_stats_object(env, engine_->program_stats()));
  if (LanePipeline* lane = engine_->lane()) o.Set("lane", lane_stats_object(env, lane->counters(), lane->gauges()));
  return o;
}

Napi::Value EngineWrap::close(const Napi::CallbackInfo& info) {
  shutdown();
  return info.Env().Undefined();
}

}  // namespace xdpchain

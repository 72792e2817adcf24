// Module functions beside XdpEngine: the AF_XDP capability probe, network namespace switching, and the hooks
// tests use to reach plain C++ directly (frame build/parse, the steering program under BPF_PROG_TEST_RUN,
// FakeNic, a plain-memory queue, and LaneHarness, the lane pipeline fed without a socket). JavaScript thread
// only, except the wake callbacks (threadsafe functions).
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "convert.h"
#include "stats_object.h"
#include "test_hooks.h"
#include "../native/fake_nic.h"
#include "../native/frame.h"
#include "../native/netlink.h"
#include "../native/netns.h"
#include "../native/xdp_program.h"

namespace xdpchain {
namespace {

void read_mac(const Napi::Object& o, const char* key, uint8_t mac[6]) {
  Napi::Value v = o.Get(key);
  if (!v.IsTypedArray()) throw invalid(o.Env(), std::string(key) + " must be a Uint8Array of 6 bytes");
  Napi::Uint8Array a = v.As<Napi::Uint8Array>();
  if (a.ElementLength() != 6) throw invalid(o.Env(), std::string(key) + " must be a Uint8Array of 6 bytes");
  std::memcpy(mac, a.Data(), 6);
}

Napi::Value frame_build(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[0].As<Napi::Object>();
  Napi::Uint8Array payload = o.Get("payload").As<Napi::Uint8Array>();
  TxHeaderTemplate from;
  TxDatagram d;
  read_mac(o, "srcMac", from.src_mac);
  read_mac(o, "dstMac", d.dst_mac);
  from.src_ip = get_u32(o, "srcIp", 0);
  d.dst_ip = get_u32(o, "dstIp", 0);
  d.src_port = static_cast<uint16_t>(get_u32(o, "srcPort", 0));
  d.dst_port = static_cast<uint16_t>(get_u32(o, "dstPort", 0));
  d.payload = payload.Data();
  d.payload_len = static_cast<uint32_t>(payload.ElementLength());
  std::vector<uint8_t> out(kFrameHeaderBytes + d.payload_len + 16);
  uint32_t len = build_udp_frame(out.data(), static_cast<uint32_t>(out.size()), from, d,
                                 static_cast<uint16_t>(get_u32(o, "ipId", 0)));
  if (len == 0) throw invalid(env, "frame does not fit");
  return Napi::Buffer<uint8_t>::Copy(env, out.data(), len);
}

Napi::Value frame_parse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Uint8Array frame = info[0].As<Napi::Uint8Array>();
  Napi::Object fo = info[1].As<Napi::Object>();
  RxFilter filter;
  filter.local_ip = get_u32(fo, "localIp", 0);
  for (uint16_t p : get_u32_list<uint16_t>(fo, "ports", 65535)) {
    if (filter.port_count < kPortsMax) filter.ports[filter.port_count++] = p;
  }
  filter.payload_max = get_u32(fo, "payloadMax", 1472);
  RxDatagram dg;
  RxVerdict v = parse_udp_frame(frame.Data(), static_cast<uint32_t>(frame.ElementLength()), filter, &dg);
  static_assert(static_cast<int>(RxVerdict::Count) == 8, "names below follow RxVerdict");
  const char* names[] = {"ok", "truncated", "malformed", "fragment", "badChecksum", "wrongAddress", "wrongPort", "oversize"};
  Napi::Object r = Napi::Object::New(env);
  r.Set("verdict", names[static_cast<int>(v)]);
  if (v == RxVerdict::Ok) {
    r.Set("srcIp", Napi::Number::New(env, dg.src_ip));
    r.Set("srcPort", dg.src_port);
    r.Set("dstPort", dg.dst_port);
    r.Set("payload", Napi::Buffer<uint8_t>::Copy(env, dg.payload, dg.payload_len));
  }
  return r;
}

Napi::Value steer_test_run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[0].As<Napi::Object>();
  Napi::Array frames = info[1].As<Napi::Array>();
  Status st;
  auto program = XdpProgram::load(get_u32(o, "localIp", 0), get_u32_list<uint16_t>(o, "ports", 65535), &st);
  if (!program) throw status_error(env, st);
  Napi::Array actions = Napi::Array::New(env, frames.Length());
  for (uint32_t i = 0; i < frames.Length(); ++i) {
    Napi::Uint8Array f = frames.Get(i).As<Napi::Uint8Array>();
    uint32_t action = 0;
    st = program->test_run(f.Data(), static_cast<uint32_t>(f.ElementLength()), &action);
    if (!st.ok()) throw status_error(env, st);
    actions.Set(i, action);
  }
  Napi::Object r = Napi::Object::New(env);
  r.Set("actions", actions);
  r.Set("stats", program_stats_object(env, program->stats()));
  return r;
}

Napi::Value netns_enter_js(const Napi::CallbackInfo& info) {
  int saved = -1;
  Status st = netns_enter(info[0].As<Napi::String>().Utf8Value(), &saved);
  if (!st.ok()) throw status_error(info.Env(), st);
  return Napi::Number::New(info.Env(), saved);
}

Napi::Value netns_restore_js(const Napi::CallbackInfo& info) {
  Status st = netns_restore(info[0].As<Napi::Number>().Int32Value());
  if (!st.ok()) throw status_error(info.Env(), st);
  return info.Env().Undefined();
}

Napi::Value interface_info_js(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  InterfaceInfo i;
  Status st = interface_info(info[0].As<Napi::String>().Utf8Value(), &i);
  if (!st.ok()) throw status_error(env, st);
  Napi::Object r = Napi::Object::New(env);
  r.Set("ifindex", i.ifindex);
  r.Set("mtu", i.mtu);
  r.Set("rxQueues", i.rx_queues);
  r.Set("mac", Napi::Buffer<uint8_t>::Copy(env, i.mac, 6));
  return r;
}

// Can this process open an AF_XDP socket at all? errno tells why not (EAFNOSUPPORT, EPERM).
Napi::Value probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ::socket(44 /* AF_XDP */, SOCK_RAW | SOCK_CLOEXEC, 0);
  int err = fd < 0 ? errno : 0;
  if (fd >= 0) ::close(fd);
  Napi::Object r = Napi::Object::New(env);
  r.Set("afXdp", Napi::Boolean::New(env, fd >= 0));
  r.Set("errno", Napi::Number::New(env, err));
  if (err) r.Set("error", strerror(err));
  return r;
}

}  // namespace

Napi::Function FakeNicWrap::define(Napi::Env env) {
  return DefineClass(env, "FakeNic",
                     {InstanceMethod<&FakeNicWrap::buffer>("buffer"), InstanceMethod<&FakeNicWrap::inject>("inject"),
                      InstanceMethod<&FakeNicWrap::wait>("waitInjected"), InstanceMethod<&FakeNicWrap::stats>("stats"),
                      InstanceMethod<&FakeNicWrap::close>("close")});
}

FakeNicWrap::FakeNicWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<FakeNicWrap>(info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[0].As<Napi::Object>();
  FakeNicConfig c;
  c.frames = get_u32(o, "frames", c.frames);
  c.ring_slots = get_u32(o, "ringSlots", c.ring_slots);
  c.ring_slot_bytes = get_u32(o, "ringSlotBytes", c.ring_slot_bytes);
  c.batch_max = get_u32(o, "batchMax", c.batch_max);
  c.poll = get_string(o, "poll", "wakeup") == "busy" ? PollMode::Busy : PollMode::Wakeup;
  c.port = static_cast<uint16_t>(get_u32(o, "port", c.port));
  wake_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "xdpchain-fake-wake", 0, 1);
  Napi::ThreadSafeFunction tsfn = wake_;
  Status st;
  nic_ = FakeNic::open(c, [tsfn]() mutable { tsfn.NonBlockingCall(); }, &st);
  if (!nic_) {
    wake_.Release();
    throw status_error(env, st);
  }
  buffer_ = Napi::Persistent(region_buffer(env, nic_->ring()));
}

FakeNicWrap::~FakeNicWrap() { shutdown(); }

void FakeNicWrap::shutdown() {
  if (!nic_ || closed_) return;
  closed_ = true;
  nic_->close();
  wake_.Release();
}

Napi::Value FakeNicWrap::buffer(const Napi::CallbackInfo&) { return buffer_.Value(); }

Napi::Value FakeNicWrap::inject(const Napi::CallbackInfo& info) {
  Napi::Object o = info[0].As<Napi::Object>();
  InjectSpec s;
  s.count = get_u32(o, "count", 0);
  s.payload_bytes = get_u32(o, "payloadBytes", s.payload_bytes);
  s.first_seq = get_u32(o, "firstSeq", 0);
  s.bad_checksum_every = get_u32(o, "badChecksumEvery", 0);
  s.truncate_every = get_u32(o, "truncateEvery", 0);
  s.wrong_port_every = get_u32(o, "wrongPortEvery", 0);
  Status st = closed_ ? Status::fail(ErrorCode::Closed, 0, "closed") : nic_->inject(s);
  if (!st.ok()) throw status_error(info.Env(), st);
  return info.Env().Undefined();
}

Napi::Value FakeNicWrap::wait(const Napi::CallbackInfo& info) {
  if (!closed_) nic_->wait_injected();
  return info.Env().Undefined();
}

Napi::Value FakeNicWrap::stats(const Napi::CallbackInfo& info) {
  Napi::Object o = rx_counters_object(info.Env(), nic_->counters());
  o.Set("injected", Napi::Number::New(info.Env(), static_cast<double>(nic_->injected())));
  return o;
}

Napi::Value FakeNicWrap::close(const Napi::CallbackInfo& info) {
  shutdown();
  return info.Env().Undefined();
}

Napi::Function LaneHarnessWrap::define(Napi::Env env) {
  return DefineClass(env, "LaneHarness",
                     {InstanceMethod<&LaneHarnessWrap::buffer>("buffer"), InstanceMethod<&LaneHarnessWrap::submit>("submit"),
                      InstanceMethod<&LaneHarnessWrap::stats>("stats"), InstanceMethod<&LaneHarnessWrap::close>("close")});
}

LaneHarnessWrap::LaneHarnessWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LaneHarnessWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) throw invalid(env, "new LaneHarness(lane, onWake)");
  LaneConfig c = read_lane_config(info[0]);
  wake_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "xdpchain-lane-wake", 0, 1);
  Napi::ThreadSafeFunction tsfn = wake_;
  Status st;
  lane_ = LanePipeline::open(c, [tsfn]() mutable { tsfn.NonBlockingCall(); }, &st);
  if (!lane_) {
    wake_.Release();
    throw status_error(env, st);
  }
  buffer_ = Napi::Persistent(region_buffer(env, lane_->ring()));
}

LaneHarnessWrap::~LaneHarnessWrap() { shutdown(); }

void LaneHarnessWrap::shutdown() {
  if (!lane_ || closed_) return;
  closed_ = true;
  lane_->stop();
  wake_.Release();
}

Napi::Value LaneHarnessWrap::buffer(const Napi::CallbackInfo&) { return buffer_.Value(); }

// submit(datagrams: Uint8Array[], { srcIp, srcPort, stampUs? }): one receive batch, as a receive thread hands it.
Napi::Value LaneHarnessWrap::submit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (closed_) throw status_error(env, Status::fail(ErrorCode::Closed, 0, "lane harness closed"));
  if (!info[0].IsArray() || !info[1].IsObject()) throw invalid(env, "submit(datagrams, source)");
  Napi::Array list = info[0].As<Napi::Array>();
  Napi::Object src = info[1].As<Napi::Object>();
  std::vector<LaneInput> in;
  std::vector<Napi::Uint8Array> pinned;  // keeps the views alive for the synchronous copy
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value v = list.Get(i);
    if (!v.IsTypedArray()) throw invalid(env, "datagrams must be Uint8Arrays");
    Napi::Uint8Array a = v.As<Napi::Uint8Array>();
    if (a.ElementLength() > 65535) throw invalid(env, "datagram larger than 65535 bytes");
    pinned.push_back(a);
    in.push_back(LaneInput{a.Data(), static_cast<uint32_t>(a.ElementLength()), get_u32(src, "srcIp", 0),
                           static_cast<uint16_t>(get_u32(src, "srcPort", 0)), 0});
  }
  Napi::Value stamp = src.Get("stampUs");
  uint64_t stamp_us = stamp.IsNumber() ? static_cast<uint64_t>(stamp.As<Napi::Number>().Int64Value()) : LanePipeline::now_us();
  lane_->submit(in.data(), static_cast<uint32_t>(in.size()), stamp_us);
  return env.Undefined();
}

Napi::Value LaneHarnessWrap::stats(const Napi::CallbackInfo& info) {
  return lane_stats_object(info.Env(), lane_->counters(), lane_->gauges());
}

Napi::Value LaneHarnessWrap::close(const Napi::CallbackInfo& info) {
  shutdown();
  return info.Env().Undefined();
}

void register_test_hooks(Napi::Env env, Napi::Object exports) {
  exports.Set("frameBuild", Napi::Function::New(env, frame_build, "frameBuild"));
  exports.Set("frameParse", Napi::Function::New(env, frame_parse, "frameParse"));
  exports.Set("steerTestRun", Napi::Function::New(env, steer_test_run, "steerTestRun"));
  exports.Set("netnsEnter", Napi::Function::New(env, netns_enter_js, "netnsEnter"));
  exports.Set("netnsRestore", Napi::Function::New(env, netns_restore_js, "netnsRestore"));
  exports.Set("probe", Napi::Function::New(env, probe, "probe"));
  exports.Set("interfaceInfo", Napi::Function::New(env, interface_info_js, "interfaceInfo"));
  exports.Set("FakeNic", FakeNicWrap::define(env));
  exports.Set("LaneHarness", LaneHarnessWrap::define(env));
}

}  // namespace xdpchain

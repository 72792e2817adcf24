// Counters as plain JavaScript objects (numbers: exact up to 2^53). Key names are the contract read by
// net-native/src/native-types.ts. JavaScript thread only.
#pragma once

#include <napi.h>

#include <vector>

#include "../native/counters.h"
#include "../native/lane_pipeline.h"
#include "../native/xsk_socket.h"

namespace xdpchain {

Napi::Object rx_counters_object(Napi::Env env, const RxCounters& c);
Napi::Object tx_counters_object(Napi::Env env, const TxCounters& c);
Napi::Object kernel_stats_object(Napi::Env env, const XskKernelStats& k);
Napi::Object program_stats_object(Napi::Env env, const std::vector<uint64_t>& s);
Napi::Object lane_stats_object(Napi::Env env, const LaneCounters& c, const LaneGauges& g);

}  // namespace xdpchain

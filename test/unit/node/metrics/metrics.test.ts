// Scrapes the metrics endpoint over HTTP on 127.0.0.1 (port 0): names and values from handles and from
// scrape-time sources appear, sources are re-read (not accumulated) on each scrape, other paths are 404.

import { register as globalRegistry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import type { TransportStats } from "../../../../node/net/datagram-transport.ts";
import { type MetricsServer, createMetrics, startMetricsServer } from "../../../../node/metrics/metrics.ts";

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function transportStats(rx: number): TransportStats {
  return { rxDatagrams: rx, rxBytes: rx * 100, rxBatches: 3, txDatagrams: 7, txBytes: 700, rxDrops: { malformed: 2 }, txDrops: { noNeighbour: 1 } };
}

async function scrape(server: MetricsServer, path = "/metrics", method = "GET"): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`http://127.0.0.1:${server.address.port}${path}`, { method });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

describe("metrics", () => {
  it("serves handle values, scrape-time sources and default process metrics", async () => {
    let rx = 10;
    let rejected = 1;
    const metrics = createMetrics({
      sources: {
        transports: { consensus: () => transportStats(rx) },
        mempool: () => ({ transactions: 42, bytes: 4200, rejections: { MEMPOOL_ERROR_NONCE_GAP: rejected, TX_ERROR_MALFORMED: 0 } }),
        peers: () => 3,
      },
      labels: { validator: "v1" },
    });
    metrics.blockHeight.set(12);
    metrics.finalizedHeight.set(11);
    metrics.finalityLatencySeconds.observe(0.08);
    metrics.viewsEntered.inc(5);
    metrics.nullifications.inc();
    metrics.votesSent.inc({ kind: "notarize" }, 2);
    metrics.votesReceived.inc({ kind: "finalize" }, 9);
    metrics.proposals.inc();
    metrics.transactionsFinalized.inc(100);

    const server = await startMetricsServer({ host: "127.0.0.1", port: 0, metrics });
    servers.push(server);
    expect(server.address.host).toBe("127.0.0.1");
    expect(server.address.port).toBeGreaterThan(0);

    const first = await scrape(server);
    expect(first.status).toBe(200);
    expect(first.type).toContain("text/plain");
    const lines = first.body.split("\n");
    for (const line of [
      'xdpchain_block_height{validator="v1"} 12',
      'xdpchain_finalized_height{validator="v1"} 11',
      'xdpchain_finality_latency_seconds_bucket{le="0.05",validator="v1"} 0',
      'xdpchain_finality_latency_seconds_bucket{le="0.1",validator="v1"} 1',
      'xdpchain_finality_latency_seconds_count{validator="v1"} 1',
      'xdpchain_views_entered_total{validator="v1"} 5',
      'xdpchain_nullifications_total{validator="v1"} 1',
      'xdpchain_votes_sent_total{kind="notarize",validator="v1"} 2',
      'xdpchain_votes_received_total{kind="finalize",validator="v1"} 9',
      'xdpchain_proposals_total{validator="v1"} 1',
      'xdpchain_transactions_finalized_total{validator="v1"} 100',
      'xdpchain_mempool_transactions{validator="v1"} 42',
      'xdpchain_mempool_bytes{validator="v1"} 4200',
      'xdpchain_mempool_rejections_total{code="MEMPOOL_ERROR_NONCE_GAP",validator="v1"} 1',
      'xdpchain_peers{validator="v1"} 3',
      'xdpchain_transport_datagrams_total{transport="consensus",direction="rx",validator="v1"} 10',
      'xdpchain_transport_datagrams_total{transport="consensus",direction="tx",validator="v1"} 7',
      'xdpchain_transport_bytes_total{transport="consensus",direction="rx",validator="v1"} 1000',
      'xdpchain_transport_drops_total{transport="consensus",direction="rx",cause="malformed",validator="v1"} 2',
      'xdpchain_transport_drops_total{transport="consensus",direction="tx",cause="noNeighbour",validator="v1"} 1',
    ]) {
      expect(lines).toContain(line);
    }
    expect(first.body).not.toContain('code="TX_ERROR_MALFORMED"');
    expect(first.body).toMatch(/^xdpchain_nodejs_eventloop_lag_seconds\{validator="v1"\} [0-9.e-]+$/m);
    expect(first.body).toMatch(/^xdpchain_process_resident_memory_bytes\{validator="v1"\} [0-9]+$/m);
    expect(first.body).toMatch(/^xdpchain_nodejs_heap_size_used_bytes\{validator="v1"\} [0-9]+$/m);

    rx = 15;
    rejected = 4;
    const second = (await scrape(server)).body.split("\n");
    expect(second).toContain('xdpchain_transport_datagrams_total{transport="consensus",direction="rx",validator="v1"} 15');
    expect(second).toContain('xdpchain_mempool_rejections_total{code="MEMPOOL_ERROR_NONCE_GAP",validator="v1"} 4');
    expect(second).toContain('xdpchain_transport_drops_total{transport="consensus",direction="rx",cause="malformed",validator="v1"} 2');
  });

  it("takes sources set after creation and records finalized blocks in one call", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(await metrics.text()).not.toContain("xdpchain_transport_datagrams_total{");
    metrics.setTransportStats(() => transportStats(5));
    metrics.setTransportStats(() => transportStats(8), "orders");
    metrics.setMempoolSource(() => ({ transactions: 2, bytes: 220, rejections: {} }));
    metrics.setPeersSource(() => 6);
    metrics.observeFinalized(9, 0.2, 30);
    metrics.observeFinalized(10, 0.4, 0);
    const lines = (await metrics.text()).split("\n");
    for (const line of [
      'xdpchain_transport_datagrams_total{transport="consensus",direction="rx"} 5',
      'xdpchain_transport_datagrams_total{transport="orders",direction="rx"} 8',
      "xdpchain_mempool_transactions 2",
      "xdpchain_mempool_bytes 220",
      "xdpchain_peers 6",
      "xdpchain_finalized_height 10",
      "xdpchain_finality_latency_seconds_count 2",
      'xdpchain_finality_latency_seconds_bucket{le="0.3"} 1',
      "xdpchain_transactions_finalized_total 30",
    ]) {
      expect(lines).toContain(line);
    }
  });

  it("answers 404 to any other path or method", async () => {
    const server = await startMetricsServer({ host: "127.0.0.1", port: 0, metrics: createMetrics({ defaultMetrics: false }) });
    servers.push(server);
    expect((await scrape(server, "/")).status).toBe(404);
    expect((await scrape(server, "/metricsx")).status).toBe(404);
    expect((await scrape(server, "/metrics", "POST")).status).toBe(404);
    const ok = await scrape(server, "/metrics?x=1");
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("xdpchain_block_height 0");
    expect(ok.body).not.toContain("xdpchain_nodejs_");
  });

  it("keeps its metrics out of prom-client's global registry, and separate per instance", async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.blockHeight.set(1);
    b.blockHeight.set(2);
    expect(await a.text()).toContain("xdpchain_block_height 1");
    expect(await b.text()).toContain("xdpchain_block_height 2");
    expect(await globalRegistry.metrics()).not.toContain("xdpchain_");
  });

  it("refuses a port in use with a coded error", async () => {
    const server = await startMetricsServer({ host: "127.0.0.1", port: 0, metrics: createMetrics({ defaultMetrics: false }) });
    servers.push(server);
    await expect(startMetricsServer({ host: "127.0.0.1", port: server.address.port, metrics: createMetrics({ defaultMetrics: false }) })).rejects.toMatchObject({
      code: "METRICS_ERROR_LISTEN",
    });
  });
});

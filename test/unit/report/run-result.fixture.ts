import type {LatencySummary} from '../../../src/metrics/histograms.js'
import type {RunResult} from '../../../src/report/run-result.js'

const lat = (count: number, p50: number, max: number): LatencySummary => ({
  count, mean: p50 * 1.1, p50, p90: p50 * 2, p99: p50 * 4, p999: p50 * 8, p9999: p50 * 10, max,
})

/** A power-loss run of a SYNC_MASTER pair that lost two acked messages: every section has content. */
export function sampleRunResult(): RunResult {
  return {
    schema: 'mqbench.result/v1',
    runId: 'r7k2q',
    runDir: '/tmp/mqbench/runs/r7k2q',
    scenario: {name: 'power-loss', file: 'scenarios/power-loss.yaml', description: 'power cut of the master under load'},
    config: {workload: {rate: 5000, duration: 30_000, warmup: 1000, messageSize: 1024, producers: 2, consumers: 1, sendMode: 'async'}},
    target: 'embedded',
    startedAt: '2025-01-01T10:00:00.000Z',
    endedAt: '2025-01-01T10:00:45.000Z',
    status: 'completed',
    throughput: {sendTps: 4987.25, consumeTps: 4950.5, attempted: 149_617, acked: 149_500, durationS: 30, targetRate: 5000},
    latency: {
      send: lat(149_617, 1.234, 812.5),
      sendService: lat(149_617, 0.456, 790.1),
      e2e: lat(148_900, 2.5, 1500),
      byStatus: {SEND_OK: lat(149_500, 1.2, 800), FLUSH_SLAVE_TIMEOUT: lat(17, 45.6, 812.5)},
    },
    sendStatus: {SEND_OK: 149_500, FLUSH_DISK_TIMEOUT: 0, FLUSH_SLAVE_TIMEOUT: 17, SLAVE_NOT_AVAILABLE: 0},
    errors: {total: 100, timeout: 58, connection: 41, broker: {SYSTEM_BUSY: 1}, retries: 7, dropped: 3},
    audit: {
      attempted: 149_617, acked: 149_500, delivered: 149_520, ok: 149_491, lost: 2, duplicated: 7, recovered: 27,
      unexpected: 0, corrupt: 0, missingUnconfirmed: 90, deliveries: 149_527, valid: false,
      samples: {lost: ['0:1041', '1:1043'], duplicated: ['0:5', '0:6', '1:9', '1:10', '1:11', '0:12', '0:13'], recovered: ['1:77']},
    },
    timeline: [
      {t: 0, sendTps: 4990, consumeTps: 4950, sendP99Ms: 4.1, e2eP99Ms: 9.5, errors: 0},
      {t: 1, sendTps: 5002, consumeTps: 5010, sendP99Ms: 812.5, e2eP99Ms: 1500, errors: 100},
    ],
    faults: [{at: 10, action: 'power-loss', target: 'broker-a-master', healedAt: 15.5}],
    replication: {commitLogIdentical: false, masterSha256: 'a'.repeat(64), slaveSha256: 'b'.repeat(64), masterBytes: 150_000_000, slaveBytes: 149_998_000},
    verdict: {
      pass: false,
      checks: [
        {name: 'no-acked-loss', promise: 'SYNC_MASTER: no SEND_OK message lost', observed: '2 of 149,500 acked messages lost', pass: false, lostSamples: ['0:1041', '1:1043']},
        {name: 'no-corruption', promise: 'every stored body matches its checksum', observed: '0 corrupt', pass: true},
      ],
    },
    cluster: [
      {name: 'broker-a-master', role: 'SYNC_MASTER', flushDiskType: 'ASYNC_FLUSH', addr: '127.0.0.1:10911'},
      {name: 'broker-a-slave', role: 'SLAVE', flushDiskType: 'ASYNC_FLUSH', addr: '127.0.0.1:10921'},
    ],
  }
}

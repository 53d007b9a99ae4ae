/**
 * The timed half of audit.final_read (final-read.bench.ts), in its own process so its peak RSS is the
 * final read's alone: the audit phase of a run (src/runner/run-scenario.ts), step for step, against a
 * run directory whose store and ledgers the bench preloaded. Prints one JSON line.
 *   node final-read-main.js <run-dir> <namesrvAddr>
 */
import {drainDeadlineMs} from '../../src/audit/drain-budget.js'
import {writeAuditRecord} from '../../src/recorder/audit-record.js'
import {openRunDir, readRunJson} from '../../src/recorder/run-dir.js'
import {readProducerLedgers, writeDrained} from '../../src/recorder/run-ledgers.js'
import {auditRunDir} from '../../src/runner/run-record.js'
import type {Scenario} from '../../src/scenario/schema.js'
import {ackedQueueEnds} from '../../src/workload/acked-ends.js'
import {drainRun} from '../../src/workload/drain-run.js'

const [root, namesrvAddr] = process.argv.slice(2)
if (root === undefined || namesrvAddr === undefined) throw new Error('usage: final-read-main.js <run-dir> <namesrvAddr>')
const runDir = openRunDir(root)
// scenario.json is the resolved scenario (as mqbench audit reads it).
const scenario = readRunJson(runDir, 'scenario') as Scenario
const start = process.hrtime.bigint()
const cpuStart = process.cpuUsage()
const producerLedgers = readProducerLedgers(runDir)
const expectedEnds = ackedQueueEnds(producerLedgers.files)
/** As the run's saveDrain: the drained entries are garbage once saved, before the audit reads them back. */
async function saveDrain(): Promise<number> {
  const drained = await drainRun({
    namesrvAddr: namesrvAddr!, scenario, runId: runDir.runId, deadlineMs: drainDeadlineMs(Date.now(), scenario.workload.drainTimeout, expectedEnds), expectedEnds,
  })
  writeDrained(runDir, drained)
  return drained.length
}
const drained = await saveDrain()
const drainSeconds = Number(process.hrtime.bigint() - start) / 1e9
const drainCpu = process.cpuUsage(cpuStart)
writeAuditRecord(runDir, {faultTypes: [], consumerCounts: []})
const audited = auditRunDir(runDir, scenario, producerLedgers)
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const cpu = process.cpuUsage(cpuStart)
console.log(JSON.stringify({
  seconds, drainSeconds, drained, cpuSeconds: (cpu.user + cpu.system) / 1e6, drainCpuSeconds: (drainCpu.user + drainCpu.system) / 1e6, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  valid: audited.queue.result.valid, counts: audited.queue.result.counts, pass: audited.verdict.pass,
}))

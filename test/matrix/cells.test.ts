import {describe, expect, it} from 'vitest'
import {diskLossScenario, loadScenario, matrixCells, powerCutScenario} from '../../src/matrix/cells.js'

const opts = {seed: 3, client: 'mqbench' as const, masterConf: {mqbenchBrokenMode: 'ack-before-fsync'}}

describe('matrix cells', () => {
  it('both targets: every cell twice, named by target; a bare name picks it on both', () => {
    const cells = matrixCells(['embedded', 'rocketmq'])
    expect(cells).toHaveLength(12)
    expect(cells[6]!.id).toBe('rocketmq:SYNC_FLUSH/SYNC_MASTER')
    expect(matrixCells(['embedded', 'rocketmq'], ['SYNC_FLUSH/single']).map((c) => c.id)).toEqual(['embedded:SYNC_FLUSH/single', 'rocketmq:SYNC_FLUSH/single'])
    expect(() => matrixCells(['embedded'], ['SYNC_FLUSH/SLAVE'])).toThrow(/^--cells: unknown cell "SYNC_FLUSH\/SLAVE"/)
  })

  it("puts the cell's mode and the extra conf on the master; replicated cells get a slave, single ones none", () => {
    const [ss, , , , single] = matrixCells(['embedded'])
    const pc = powerCutScenario(ss!, opts, 1500, 6000).scenario
    expect(pc.cluster.brokers.map((b) => [b.brokerId, b.brokerRole, b.flushDiskType])).toEqual([[0, 'SYNC_MASTER', 'SYNC_FLUSH'], [1, 'SLAVE', 'SYNC_FLUSH']])
    expect(pc.cluster.brokers[0]!.conf['mqbenchBrokenMode']).toBe('ack-before-fsync')
    expect(pc.cluster.brokers[1]!.conf['mqbenchBrokenMode']).toBeUndefined()
    expect(pc.faults).toHaveLength(1)
    expect([pc.workload.rate, pc.workload.duration, pc.seed]).toEqual([1500, 6000, 3])
    // The final read of every replica judges the promise; no consumer, whose own progress check is not the cell's question.
    expect([pc.workload.consumers, diskLossScenario(ss!, opts, 1500, 6000).scenario.workload.consumers, loadScenario(ss!, opts).scenario.workload.consumers]).toEqual([0, 0, 0])
    expect(loadScenario(single!, opts).scenario.cluster.brokers).toHaveLength(1)
    expect(diskLossScenario(ss!, opts, 1500, 6000).scenario.faults[0]!.action).toBe('disk-loss')
  })
})

import {describe, expect, it} from 'vitest'
import {renderMatrixHtml} from '../../src/matrix/matrix-html.js'
import {cellLine, evaluateCellThresholds, matrixJUnit, parseCellThreshold, renderMatrix} from '../../src/matrix/matrix-report.js'
import type {MatrixCell, MatrixResult} from '../../src/matrix/matrix-result.js'

function cell(id: string, over: Partial<MatrixCell>): MatrixCell {
  const [flush, replication] = id.split('/') as [MatrixCell['flushDiskType'], MatrixCell['replication']]
  return {
    id, target: 'embedded', flushDiskType: flush, replication, status: 'completed',
    maxRate: {rate: 1000, stoppedBy: 'converged', steps: []}, relativeToFastest: 1,
    common: {rate: 400, p50: 1, p99: 5, p999: 9, sustained: true, runDir: '/r/c'},
    powerCut: {verdict: 'PASS', promise: 'p', lost: 0, acked: 10, runDir: '/r/p'}, diskLoss: {verdict: 'PASS', promise: 'd', lost: 0, acked: 10},
    ...over,
  }
}

const m: MatrixResult = {
  schema: 'mqbench.matrix/v1', dir: '/r', startedAt: '', endedAt: '', wallS: 1, status: 'completed', budgetMs: 1, seed: 1, client: 'mqbench',
  maxP99Ms: 50, commonRate: 400, faultRate: 1500, thresholds: [],
  cells: [cell('SYNC_FLUSH/SYNC_MASTER', {}), cell('ASYNC_FLUSH/single', {powerCut: {verdict: 'FAIL', promise: 'window', lost: 7, acked: 10}, diskLoss: {verdict: 'N/A', promise: 'none'}})],
}

describe('matrix thresholds', () => {
  it('evaluates per matching cell and fails when the figure is off or missing', () => {
    const gates = ['cell[SYNC_FLUSH/SYNC_MASTER].powerCut.lost==0', 'cell[ASYNC_FLUSH/single].powerCut.lost==0', 'cell[ASYNC_FLUSH/single].diskLoss.lost<=0', 'cell[SYNC_FLUSH/single].maxRate>1']
      .map(parseCellThreshold)
    expect(evaluateCellThresholds(gates, m).map((g) => [g.observed, g.pass])).toEqual([[0, true], [7, false], [null, false], [null, false]])
  })
  it('refuses an unknown field naming the expected form', () => {
    expect(() => parseCellThreshold('cell[SYNC_FLUSH/SYNC_MASTER].speed>1')).toThrow(/--threshold .*expected 'cell\[FLUSH\/ROLE\]\.field OP number'/)
  })
})

describe('matrix output', () => {
  it('table, promise lines, JUnit and HTML show the FAIL', () => {
    expect(renderMatrix(m, false)).toContain('7 of 10')
    expect(cellLine(m.cells[1]!)).toContain('power cut: promise BROKEN')
    expect(cellLine(m.cells[0]!)).toContain('power cut: promise held')
    const xml = matrixJUnit(m)
    expect(xml).toContain('tests="3" failures="1" errors="0"')
    expect(renderMatrixHtml(m).match(/<rect /g)).toHaveLength(8)
  })
})

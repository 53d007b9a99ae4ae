import {describe, expect, it} from 'vitest'
import {ProgressLine} from '../../../src/report/progress.js'

function fakeStream(isTTY: boolean, columns?: number): NodeJS.WriteStream & {written: string[]} {
  const written: string[] = []
  return {isTTY, columns, written, write: (s: string) => (written.push(s), true)} as unknown as NodeJS.WriteStream & {written: string[]}
}

const update = {elapsedS: 12.4, sendTps: 4987.2, p99Ms: 3.214, errors: 2, phase: 'load'}

describe('ProgressLine', () => {
  it('shows elapsed of the load phase against its length, ETA, consume rate and the fault held', () => {
    const s = fakeStream(true, 200)
    new ProgressLine(s).update({...update, elapsedS: 3, durationS: 10, consumeTps: 4950, faults: ['power-loss master']})
    expect(s.written).toEqual(['\r[load] 3s/10s  ETA 7s  send 4,987/s  consume 4,950/s  p99 3.21ms  errors 2  fault: power-loss master\x1b[K'])
  })

  it('draws nothing when the stream is not a TTY', () => {
    const s = fakeStream(false)
    const p = new ProgressLine(s)
    p.update(update)
    p.done()
    expect(s.written).toEqual([])
  })

  it('redraws one line in place on a TTY and erases it when done', () => {
    const s = fakeStream(true, 120)
    const p = new ProgressLine(s)
    p.update(update)
    p.update({...update, elapsedS: 13})
    p.done()
    expect(s.written).toEqual([
      '\r[load] 12s  send 4,987/s  p99 3.21ms  errors 2\x1b[K',
      '\r[load] 13s  send 4,987/s  p99 3.21ms  errors 2\x1b[K',
      '\r\x1b[K',
    ])
  })

  it('never draws wider than the terminal', () => {
    const s = fakeStream(true, 20)
    new ProgressLine(s).update(update)
    expect(s.written[0]).toBe('\r[load] 12s  send 4,\x1b[K')
  })

  it('done() without any update writes nothing', () => {
    const s = fakeStream(true, 80)
    new ProgressLine(s).done()
    expect(s.written).toEqual([])
  })
})

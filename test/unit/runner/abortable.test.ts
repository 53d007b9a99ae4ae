import {describe, expect, it} from 'vitest'
import {abortable, throwIfAborted} from '../../../src/runner/abortable.js'

describe('abortable', () => {
  it('passes the result through when nothing aborts', async () => {
    await expect(abortable(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7)
    await expect(abortable(Promise.resolve(8), undefined)).resolves.toBe(8)
  })

  it('rejects as soon as the signal aborts, without waiting for the promise', async () => {
    const ac = new AbortController()
    const never = new Promise<number>(() => undefined)
    const p = abortable(never, ac.signal)
    ac.abort()
    await expect(p).rejects.toThrow('interrupted')
  })

  it('throwIfAborted throws only once aborted', () => {
    const ac = new AbortController()
    expect(() => throwIfAborted(ac.signal)).not.toThrow()
    ac.abort()
    expect(() => throwIfAborted(ac.signal)).toThrow('interrupted')
  })
})

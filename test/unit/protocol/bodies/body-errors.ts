import {expect} from 'vitest'
import {ProtocolError} from '../../../../src/protocol/protocol-error.js'

/** Asserts a BAD_BODY whose message names `path`. */
export function expectBadBody(fn: () => unknown, path: string): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError)
    expect((err as ProtocolError).code).toBe('BAD_BODY')
    expect((err as ProtocolError).message).toContain(path)
    return
  }
  throw new Error(`expected BAD_BODY at ${path}`)
}

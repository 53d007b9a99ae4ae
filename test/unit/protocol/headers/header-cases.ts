/**
 * Table-driven checks shared by every header family: full and minimal values round-trip, each
 * mandatory wire field's absence is a BAD_FIELD naming it, numeric fields reject junk, and
 * unknown keys are ignored.
 */
import {expect, it} from 'vitest'
import {ProtocolError} from '../../../../src/protocol/protocol-error.js'

type Ext = Record<string, string>

export interface HeaderCase<T> {
  encode: (h: T) => Ext
  decode: (ext: Ext | undefined) => T
  full: T
  minimal: T
  /** wire names that must be present */
  mandatory: string[]
  /** wire names holding numbers */
  numeric: string[]
}

export function expectBadField(fn: () => unknown, field: string): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError)
    expect((err as ProtocolError).code).toBe('BAD_FIELD')
    expect((err as ProtocolError).message).toContain(`field ${field}:`)
    return
  }
  throw new Error(`expected BAD_FIELD for ${field}`)
}

export function headerCases<T>(c: HeaderCase<T>): void {
  it('round-trips a full and a minimal header', () => {
    for (const h of [c.full, c.minimal]) {
      const ext = c.encode(h)
      for (const v of Object.values(ext)) expect(typeof v).toBe('string')
      expect(c.decode(ext)).toStrictEqual(h)
    }
  })

  it('writes exactly the mandatory fields for a minimal header', () => {
    const keys = Object.keys(c.encode(c.minimal)).filter((k) => k !== 'MSG_REGION' && k !== 'TRACE_ON')
    expect(keys.sort()).toEqual([...c.mandatory].sort())
  })

  it('names a missing mandatory field', () => {
    for (const field of c.mandatory) {
      const ext = c.encode(c.full)
      delete ext[field]
      expectBadField(() => c.decode(ext), field)
    }
    if (c.mandatory.length > 0) expectBadField(() => c.decode(undefined), c.mandatory[0]!)
  })

  it('rejects a numeric field that does not parse', () => {
    for (const field of c.numeric) {
      for (const junk of ['', 'abc', '1.5', '0x10', ' 1', '99999999999999999999']) {
        expectBadField(() => c.decode({...c.encode(c.full), [field]: junk}), field)
      }
    }
  })

  it('ignores unknown keys', () => {
    expect(c.decode({...c.encode(c.full), lo: 'true', nsd: 'x', zzz: 'y'})).toStrictEqual(c.full)
  })
}

/**
 * Golden frames (test/fixtures/frames/*.json). Per fixture: decode the hex and compare with the
 * expected command; encode the expected command and compare hex (unless decodeOnly: inputs a Java
 * peer may send that we never write); and decode(encode(x)) == x.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {decodeFrame, encodeFrame} from '../../../src/protocol/frame.js'
import type {RemotingCommand} from '../../../src/protocol/remoting-command.js'

interface FrameFixture {
  name: string
  source: string
  serializeType: 0 | 1
  decodeOnly?: boolean
  hex: string
  decoded: Omit<RemotingCommand, 'body'> & {bodyHex?: string}
}

const dir = join(import.meta.dirname, '../../fixtures/frames')
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({file, fx: JSON.parse(readFileSync(join(dir, file), 'utf8')) as FrameFixture}))

function expected(fx: FrameFixture): RemotingCommand {
  const {bodyHex, ...rest} = fx.decoded
  return bodyHex === undefined ? rest : {...rest, body: Buffer.from(bodyHex, 'hex')}
}

describe('golden frames', () => {
  it('has fixtures of both header types', () => {
    expect(new Set(fixtures.map(({fx}) => fx.serializeType))).toEqual(new Set([0, 1]))
  })

  for (const {file, fx} of fixtures) {
    describe(`${file}: ${fx.name}`, () => {
      it('decodes', () => {
        expect(decodeFrame(Buffer.from(fx.hex, 'hex'))).toStrictEqual(expected(fx))
      })
      if (!fx.decodeOnly) {
        it('encodes to the same bytes', () => {
          expect(encodeFrame(expected(fx), fx.serializeType).toString('hex')).toBe(fx.hex)
        })
      }
      it('round-trips', () => {
        expect(decodeFrame(encodeFrame(expected(fx), fx.serializeType))).toStrictEqual(expected(fx))
      })
    })
  }
})

import {readFileSync} from 'node:fs'
import {join} from 'node:path'

/** The body of a golden frame captured from a real RocketMQ (test/fixtures/frames). */
export function capturedBody(file: string): Buffer {
  const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/frames', file), 'utf8')) as {decoded: {bodyHex: string}}
  return Buffer.from(fx.decoded.bodyHex, 'hex')
}

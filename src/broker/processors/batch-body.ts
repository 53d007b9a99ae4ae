/**
 * SEND_BATCH_MESSAGE body (rocketmq-protocol.md §3.2), per message:
 *   4 totalSize | 4 magic (ignored) | 4 bodyCRC (ignored) | 4 flag | 4 bodyLength + body
 *   | 2 propertiesLength + properties
 * The broker recomputes CRCs and offsets; each entry becomes one CommitLog record.
 */

export interface BatchEntry {
  flag: number
  body: Buffer
  properties: string
}

const ENTRY_FIXED_BYTES = 4 + 4 + 4 + 4 + 4 + 2

/** The entries, or a one-line reason the body is malformed (answered MESSAGE_ILLEGAL). */
export function decodeBatchBody(body: Buffer | undefined, maxMessageSize: number): BatchEntry[] | string {
  if (body === undefined || body.length === 0) return 'empty batch body'
  const entries: BatchEntry[] = []
  let pos = 0
  while (pos < body.length) {
    if (body.length - pos < ENTRY_FIXED_BYTES) return `batch entry ${entries.length} truncated at byte ${pos}`
    const totalSize = body.readInt32BE(pos)
    const bodyLength = body.readInt32BE(pos + 16)
    if (bodyLength < 0 || bodyLength > maxMessageSize) return `batch entry ${entries.length}: body length ${bodyLength} is illegal`
    const propsAt = pos + 20 + bodyLength
    if (propsAt + 2 > body.length) return `batch entry ${entries.length} truncated at byte ${pos}`
    const propsLength = body.readInt16BE(propsAt)
    const end = propsAt + 2 + propsLength
    if (propsLength < 0 || end > body.length || totalSize !== end - pos) {
      return `batch entry ${entries.length}: totalSize ${totalSize} does not match its fields`
    }
    entries.push({
      flag: body.readInt32BE(pos + 12),
      body: body.subarray(pos + 20, propsAt),
      properties: body.toString('utf8', propsAt + 2, end),
    })
    pos = end
  }
  return entries
}

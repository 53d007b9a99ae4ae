/**
 * Typed codec failures. protocol/ imports nothing of ours, so this is a plain Error subclass;
 * src/errors.ts recognises it by name and maps it to exit code 2 (bad input).
 */
export type ProtocolErrorCode =
  | 'FRAME_TOO_LARGE' // total length above the configured maximum
  | 'BAD_LENGTH' // negative or inconsistent total/header length
  | 'BAD_SERIALIZE_TYPE' // header type byte is neither JSON (0) nor ROCKETMQ (1)
  | 'BAD_JSON' // JSON header does not parse or is not an object of the expected shape
  | 'BAD_HEADER' // ROCKETMQ binary header fields overrun the header
  | 'BAD_FIELD' // a custom header field is missing or not parseable
  | 'TRUNCATED' // fewer bytes than a length said
  | 'BAD_MAGIC' // stored-message record with an unknown magic code
  | 'BAD_CRC' // stored-message body CRC mismatch
  | 'BAD_RECORD' // stored-message fields do not add up to TOTALSIZE
  | 'BAD_BODY' // a JSON body does not parse into the expected shape

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError'
  readonly code: ProtocolErrorCode

  constructor(code: ProtocolErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/**
 * The closed list of RocketMQ SendStatus names in declaration order (the order reports print them in).
 * src/client owns the type and the response-code mapping; this only enumerates it.
 */
import type {SendStatus} from '../client/send-result.js'

export type {SendStatus}

export const SEND_STATUSES = ['SEND_OK', 'FLUSH_DISK_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'SLAVE_NOT_AVAILABLE'] as const satisfies readonly SendStatus[]

// Fails to compile if the client ever adds a status this list does not name.
type Unlisted = Exclude<SendStatus, (typeof SEND_STATUSES)[number]>
const everyStatusListed: Unlisted extends never ? true : never = true
void everyStatusListed

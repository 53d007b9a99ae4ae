/**
 * The FileIO a store opens without opts.io: the real file system when pageCacheMode is 'os', else
 * the volatile page cache over it, so a kill -9 of the broker loses what was never synced. The broker
 * wraps the result in FaultyFileIO when fault injection is on.
 */
import type {MessageStoreConfig} from '../message-store-config.js'
import type {FileIO} from './file-io.js'
import {NodeFileIO} from './node-file-io.js'
import {VolatilePageCache} from './volatile-page-cache.js'

export function defaultFileIO(config: MessageStoreConfig): FileIO {
  const real = new NodeFileIO()
  if (config.pageCacheMode === 'os') return real
  return new VolatilePageCache(real, {writeback: config.pageCacheWriteback, seed: config.pageCacheSeed})
}

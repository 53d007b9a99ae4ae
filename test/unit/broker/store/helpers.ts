/** Shared fixtures for the store tests: temp dirs, small-file configs, messages, FileIO decorators. */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type {FileHandle, FileIO} from '../../../../src/broker/store/io/file-io.js'
import type {MessageToStore} from '../../../../src/broker/store/message-store.js'
import {defaultMessageStoreConfig, type MessageStoreConfig} from '../../../../src/broker/store/message-store-config.js'

export function tempDir(prefix = 'mqbench-store-'): {dir: string; cleanup: () => void} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return {dir, cleanup: () => fs.rmSync(dir, {recursive: true, force: true})}
}

export function smallConfig(root: string, overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  return {
    ...defaultMessageStoreConfig(root, '127.0.0.1:10911'),
    mappedFileSizeCommitLog: 64 * 1024,
    mappedFileSizeConsumeQueue: 20 * 100,
    flushIntervalCommitLog: 20,
    flushIntervalConsumeQueue: 20,
    ...overrides,
  }
}

export function message(topic: string, queueId: number, body: string | Buffer, extra: Partial<MessageToStore> = {}): MessageToStore {
  return {
    topic, queueId, flag: 0, sysFlag: 0, bornTimestamp: 1_700_000_000_000, bornHost: '10.0.0.1:40000',
    body: typeof body === 'string' ? Buffer.from(body) : body, properties: {UNIQ_KEY: `K-${String(body).slice(0, 20)}`}, reconsumeTimes: 0,
    waitStoreMsgOK: true, ...extra,
  }
}

/** Decorator: counts syncs and can make them hang (a disk that stops answering fsync). */
export class ControlledSyncFileIO implements FileIO {
  syncCount = 0
  hangSyncs = false
  private readonly hung: (() => void)[] = []

  constructor(private readonly inner: FileIO) {}

  /** Lets every hung sync complete. */
  releaseSyncs(): void {
    this.hangSyncs = false
    for (const r of this.hung.splice(0)) r()
  }

  async open(p: string, opts: {create: boolean}): Promise<FileHandle> {
    const h = await this.inner.open(p, opts)
    const io = this
    return {
      path: h.path,
      write: (b, pos) => h.write(b, pos),
      read: (t, o, l, pos) => h.read(t, o, l, pos),
      async sync() {
        io.syncCount++
        if (io.hangSyncs) await new Promise<void>((resolve) => io.hung.push(resolve))
        return h.sync()
      },
      truncate: (s) => h.truncate(s),
      size: () => h.size(),
      close: () => h.close(),
    }
  }

  readdir(d: string): Promise<string[]> {
    return this.inner.readdir(d)
  }
  mkdir(d: string): Promise<void> {
    return this.inner.mkdir(d)
  }
  unlink(p: string): Promise<void> {
    return this.inner.unlink(p)
  }
  rename(a: string, b: string): Promise<void> {
    return this.inner.rename(a, b)
  }
  exists(p: string): Promise<boolean> {
    return this.inner.exists(p)
  }
}

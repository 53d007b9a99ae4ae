/**
 * The seam between the store and the disk. CommitLog and ConsumeQueue code only ever talk to a
 * FileIO; what "durable" means is decided by the implementation:
 * - NodeFileIO: real files. A resolved write is in the OS page cache (survives kill -9, as
 *   RocketMQ's mmap writes do); only sync() makes it survive a power cut.
 * - VolatilePageCache: written bytes stay in this process until sync(); a kill -9 is a power cut.
 * Reads are synchronous on purpose: RocketMQ reads the CommitLog through mmap (a memory access),
 * and the pull path must not pay an event-loop round trip per record.
 */
export interface FileHandle {
  readonly path: string
  /** Writes the buffers back to back from `position`; resolves once the bytes are in the file's cache. */
  write(buffers: readonly Uint8Array[], position: number): Promise<void>
  /** Positional read; returns the bytes read (fewer at end of file). */
  read(target: Uint8Array, targetOffset: number, length: number, position: number): number
  /** fdatasync: everything written before the call is durable when it resolves. */
  sync(): Promise<void>
  /** Sets the file length (durable together with the next sync). */
  truncate(size: number): Promise<void>
  size(): Promise<number>
  close(): Promise<void>
}

export interface FileIO {
  /** Opens read/write; creates an empty file when `create` is set and it does not exist. */
  open(path: string, opts: {create: boolean}): Promise<FileHandle>
  /** File names in `dir` (not paths); [] when the directory does not exist. */
  readdir(dir: string): Promise<string[]>
  /** Creates the directory and its parents. */
  mkdir(dir: string): Promise<void>
  unlink(path: string): Promise<void>
  rename(from: string, to: string): Promise<void>
  exists(path: string): Promise<boolean>
}

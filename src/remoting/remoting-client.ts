/**
 * RocketMQ's NettyRemotingClient, in Node: one TCP connection per address, opened lazily and
 * reopened on the next use after it closes; many requests in flight on it, matched to responses
 * by opaque (rocketmq-protocol.md §1.4). Brokers also send requests to clients on the same
 * connection, so inbound frames are told apart by the RESPONSE flag bit, never by opaque.
 */
import net from 'node:net'
import {ConnectionError, MqbenchError} from '../errors.js'
import {FrameDecoder, type FrameSink} from '../protocol/frame.js'
import {
  isOneway,
  isResponse,
  newResponse,
  RemotingFlag,
  type RemotingCommand,
} from '../protocol/remoting-command.js'
import {requestCodeName} from '../protocol/request-code.js'
import {ResponseCode} from '../protocol/response-code.js'
import {FrameWriter} from './frame-writer.js'
import {ResponseFuture} from './response-future.js'

export interface RemotingClientOptions {
  maxFrameBytes?: number
  connectTimeoutMs?: number
  serializeType?: 0 | 1
  /** Bound on requests awaiting a response across all connections (Java: 65535 async permits). */
  maxPendingRequests?: number
  log?: (line: string) => void
}

export type ClientRequestHandler = (req: RemotingCommand, addr: string) => RemotingCommand | undefined

const DEFAULT_CONNECT_TIMEOUT_MS = 3000
const DEFAULT_MAX_PENDING_REQUESTS = 65_536

// One process-wide counter, as in Java, so opaques stay unique across clients and connections.
let lastOpaque = 0
export function nextOpaque(): number {
  lastOpaque = (lastOpaque + 1) & 0x7fffffff
  return lastOpaque
}

export function splitAddr(addr: string): {host: string; port: number} {
  const colon = addr.lastIndexOf(':')
  const port = Number(addr.slice(colon + 1))
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new ConnectionError(`address "${addr}" is not of the form host:port`, {addr})
  }
  return {host: addr.slice(0, colon), port}
}

interface ClientConnection {
  readonly addr: string
  readonly socket: net.Socket
  readonly writer: FrameWriter
  readonly pending: Map<number, ResponseFuture>
  closed: boolean
  /** Why the connection went down, for the error every pending request receives. */
  cause?: Error
}

export class RemotingClient {
  private readonly connections = new Map<string, ClientConnection>()
  private readonly maxFrameBytes: number | undefined
  private readonly connectTimeoutMs: number
  private readonly serializeType: 0 | 1
  private readonly maxPendingRequests: number
  private readonly log: (line: string) => void
  private requestHandler: ClientRequestHandler | undefined
  private pendingCount = 0

  constructor(opts: RemotingClientOptions = {}) {
    this.maxFrameBytes = opts.maxFrameBytes
    this.connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    this.serializeType = opts.serializeType ?? 0
    this.maxPendingRequests = opts.maxPendingRequests ?? DEFAULT_MAX_PENDING_REQUESTS
    this.log = opts.log ?? (() => {})
  }

  /** Requests awaiting a response, over all connections. */
  get pendingRequests(): number {
    return this.pendingCount
  }

  /** Rejects with TimeoutError past timeoutMs, ConnectionError when the connection fails first. */
  invoke(addr: string, req: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (this.pendingCount >= this.maxPendingRequests) {
      return Promise.reject(
        new MqbenchError('TOO_MANY_REQUESTS', `${this.pendingCount} requests already await a response`, {
          addr,
          maxPendingRequests: this.maxPendingRequests,
        }),
      )
    }
    let conn: ClientConnection
    try {
      conn = this.connection(addr)
    } catch (err) {
      return Promise.reject(err)
    }
    const opaque = nextOpaque()
    const cmd: RemotingCommand = {...req, opaque, flag: req.flag & ~(RemotingFlag.RESPONSE | RemotingFlag.ONEWAY)}
    const future = new ResponseFuture(opaque, req.code, addr, timeoutMs, () => this.forget(conn, opaque))
    conn.pending.set(opaque, future)
    this.pendingCount++
    try {
      // A failed write also closes the socket; the close handler fails this future with the cause.
      conn.writer.write(cmd)
    } catch (err) {
      this.forget(conn, opaque)
      future.fail(err as Error)
    }
    return future.promise
  }

  /** Resolves once the frame is handed to the kernel; no response is expected or awaited. */
  invokeOneway(addr: string, req: RemotingCommand): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const conn = this.connection(addr)
      const cmd: RemotingCommand = {...req, opaque: nextOpaque(), flag: (req.flag & ~RemotingFlag.RESPONSE) | RemotingFlag.ONEWAY}
      conn.writer.write(cmd, (err) => {
        if (err) reject(new ConnectionError(`oneway ${requestCodeName(req.code)} to ${addr} failed: ${err.message}`, {addr, cause: err}))
        else resolve()
      })
    })
  }

  onRequest(handler: ClientRequestHandler): void {
    this.requestHandler = handler
  }

  /** Closes one connection (or all); its pending requests fail with ConnectionError at once. */
  close(addr?: string): void {
    const targets = addr === undefined ? [...this.connections.values()] : [this.connections.get(addr)]
    for (const conn of targets) {
      if (conn === undefined) continue
      this.markClosed(conn, new ConnectionError(`connection to ${conn.addr} closed by the client`, {addr: conn.addr}))
      conn.socket.destroy()
    }
  }

  private connection(addr: string): ClientConnection {
    const existing = this.connections.get(addr)
    if (existing !== undefined && !existing.closed) return existing
    const conn = this.open(addr)
    this.connections.set(addr, conn)
    return conn
  }

  private open(addr: string): ClientConnection {
    const {host, port} = splitAddr(addr)
    // Writes issued before 'connect' are buffered by the socket and flushed once it connects.
    const socket = net.connect({host, port})
    socket.setNoDelay(true)
    const conn: ClientConnection = {
      addr,
      socket,
      writer: new FrameWriter(socket, this.serializeType),
      pending: new Map(),
      closed: false,
    }
    const connectTimer = setTimeout(() => {
      socket.destroy(new ConnectionError(`connect to ${addr} timed out after ${this.connectTimeoutMs} ms`, {addr}))
    }, this.connectTimeoutMs)
    socket.once('connect', () => clearTimeout(connectTimer))
    const decoder = new FrameDecoder({maxFrameBytes: this.maxFrameBytes})
    const onFrame = (cmd: RemotingCommand, serializeType: 0 | 1): void => {
      if (isResponse(cmd)) this.onResponse(conn, cmd)
      else this.onPeerRequest(conn, cmd, serializeType)
    }
    socket.on('data', (chunk: Buffer) => this.onData(conn, decoder, chunk, onFrame))
    socket.on('error', (err) => {
      conn.cause ??= err
    })
    socket.on('end', () => socket.destroy())
    socket.on('close', () => {
      clearTimeout(connectTimer)
      const why = conn.cause?.message ?? 'closed by the peer'
      this.markClosed(conn, new ConnectionError(`connection to ${addr} lost: ${why}`, {addr, cause: conn.cause}))
    })
    return conn
  }

  private onData(conn: ClientConnection, decoder: FrameDecoder, chunk: Buffer, onFrame: FrameSink): void {
    try {
      decoder.pushEach(chunk, onFrame)
    } catch (err) {
      // The stream is out of sync: nothing later on this connection can be trusted.
      this.log(`remoting client: bad frame from ${conn.addr}: ${(err as Error).message}; closing`)
      conn.cause = err as Error
      conn.socket.destroy()
    }
  }

  private onResponse(conn: ClientConnection, cmd: RemotingCommand): void {
    const future = conn.pending.get(cmd.opaque)
    if (future === undefined) {
      this.log(`remoting client: response with unknown opaque ${cmd.opaque} from ${conn.addr} dropped`)
      return
    }
    this.forget(conn, cmd.opaque)
    future.complete(cmd)
  }

  /** Answered in the request's header type, as a Java client answers a broker. */
  private onPeerRequest(conn: ClientConnection, req: RemotingCommand, serializeType: 0 | 1): void {
    let response: RemotingCommand | undefined
    try {
      response = this.requestHandler?.(req, conn.addr)
    } catch (err) {
      response = newResponse(req, ResponseCode.SYSTEM_ERROR, {remark: (err as Error).message ?? String(err)})
    }
    if (isOneway(req) || conn.closed) return
    response ??= newResponse(req, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {
      remark: ` request type ${req.code} not supported`,
    })
    const reply: RemotingCommand = {...response, opaque: req.opaque, flag: response.flag | RemotingFlag.RESPONSE}
    try {
      conn.writer.writeAs(reply, serializeType)
    } catch (err) {
      this.log(`remoting client: cannot answer ${requestCodeName(req.code)} from ${conn.addr}: ${(err as Error).message}`)
    }
  }

  private forget(conn: ClientConnection, opaque: number): void {
    if (conn.pending.delete(opaque)) this.pendingCount--
  }

  private markClosed(conn: ClientConnection, err: ConnectionError): void {
    if (conn.closed) return
    conn.closed = true
    if (this.connections.get(conn.addr) === conn) this.connections.delete(conn.addr)
    const futures = [...conn.pending.values()]
    this.pendingCount -= conn.pending.size
    conn.pending.clear()
    for (const future of futures) future.fail(err)
  }
}

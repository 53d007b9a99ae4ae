/**
 * RocketMQ's NettyRemotingServer, in Node: accepts connections, decodes frames and dispatches each
 * request by code to a handler table, answering the way a Java server does (rocketmq-protocol.md
 * §1.4): unknown code → REQUEST_CODE_NOT_SUPPORTED, a throwing handler → SYSTEM_ERROR (or the
 * error's own responseCode), and never a reply to a oneway request. A malformed or oversize frame
 * closes that one connection; every other connection keeps being served.
 */
import net from 'node:net'
import {FrameDecoder} from '../protocol/frame.js'
import {isOneway, isResponse, newResponse, RemotingFlag, type RemotingCommand} from '../protocol/remoting-command.js'
import {requestCodeName} from '../protocol/request-code.js'
import {ResponseCode} from '../protocol/response-code.js'
import {ConnectionFlow, DEFAULT_FLOW_LIMITS, type ConnectionFlowLimits} from './connection-flow.js'
import {FrameWriter} from './frame-writer.js'
import {nextOpaque} from './remoting-client.js'

export interface ConnectionContext {
  readonly id: number
  /** ip:port of the peer, IPv4-mapped prefixes removed. */
  readonly remoteAddr: string
  /** Server-initiated request (e.g. oneway NOTIFY_CONSUMER_IDS_CHANGED); any reply is dropped. */
  send(cmd: RemotingCommand): void
  close(): void
  onClose(cb: () => void): void
}

export type RequestHandler = (
  req: RemotingCommand,
  conn: ConnectionContext,
) => Promise<RemotingCommand | undefined> | RemotingCommand | undefined

export interface RemotingServerOptions {
  host?: string
  port: number
  maxFrameBytes?: number
  /** The server's own header type (rocketmq.serialize.type): its requests, and replies unless below. Default JSON. */
  serializeType?: 0 | 1
  /**
   * Answer each request in the header type it came in (RocketMQ 4.9.x, the default); false answers
   * in serializeType whatever the request used (5.x).
   */
  replyInRequestType?: boolean
  /** per-connection bounds on unanswered requests and unsent reply bytes (connection-flow.ts) */
  flow?: ConnectionFlowLimits
  /** a connection with no traffic either way for this long is closed (RocketMQ serverChannelMaxIdleTimeSeconds); 0 = never */
  idleTimeoutMs?: number
  log?: (line: string) => void
}

/** Reply bodies from this size up leave after their frame head as they are (a copy costs more than a second iovec). */
const UNCOPIED_REPLY_BODY_BYTES = 64 * 1024

class ServerConnection implements ConnectionContext {
  readonly writer: FrameWriter
  closed = false
  private readonly closeCallbacks: Array<() => void> = []

  constructor(
    readonly id: number,
    readonly remoteAddr: string,
    readonly socket: net.Socket,
    serializeType: 0 | 1,
  ) {
    // Every reply body is built for its one reply (a pull's records are read into a fresh buffer), so a big one is not copied.
    this.writer = new FrameWriter(socket, serializeType, UNCOPIED_REPLY_BODY_BYTES)
  }

  send(cmd: RemotingCommand): void {
    if (this.closed) return
    this.writer.write({...cmd, opaque: nextOpaque(), flag: cmd.flag & ~RemotingFlag.RESPONSE})
  }

  close(): void {
    this.socket.destroy()
  }

  onClose(cb: () => void): void {
    if (this.closed) queueMicrotask(cb)
    else this.closeCallbacks.push(cb)
  }

  markClosed(): void {
    if (this.closed) return
    this.closed = true
    for (const cb of this.closeCallbacks.splice(0)) cb()
  }
}

function normaliseIp(ip: string | undefined): string {
  if (ip === undefined) return 'unknown'
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip
}

/** SYSTEM_ERROR unless the error says which RocketMQ code it stands for (RemotingError does). */
function errorResponse(req: RemotingCommand, err: unknown): RemotingCommand {
  const code = (err as {responseCode?: unknown} | null)?.responseCode
  const remark = err instanceof Error ? err.message : String(err)
  return newResponse(req, typeof code === 'number' ? code : ResponseCode.SYSTEM_ERROR, {remark})
}

export class RemotingServer {
  private readonly handlers = new Map<number, RequestHandler>()
  private readonly connections = new Set<ServerConnection>()
  private readonly log: (line: string) => void
  private readonly serializeType: 0 | 1
  private readonly replyInRequestType: boolean
  private server: net.Server | undefined
  private lastConnectionId = 0
  /** Codes already logged as unsupported: a tool polling one must not flood the log. */
  private readonly warnedCodes = new Set<number>()

  constructor(private readonly opts: RemotingServerOptions) {
    this.log = opts.log ?? (() => {})
    this.serializeType = opts.serializeType ?? 0
    this.replyInRequestType = opts.replyInRequestType ?? true
  }

  registerHandler(code: number, handler: RequestHandler): void {
    this.handlers.set(code, handler)
  }

  /** @returns the bound port (useful with port 0). */
  async start(): Promise<number> {
    if (this.server !== undefined) throw new Error('RemotingServer already started')
    const server = net.createServer((socket) => this.accept(socket))
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    server.on('error', (err) => this.log(`remoting server: ${err.message}`))
    return (server.address() as net.AddressInfo).port
  }

  /** Stops accepting, closes every connection and resolves once the listener is closed. */
  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const conn of this.connections) conn.socket.destroy()
    await closed
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true)
    const conn = new ServerConnection(
      ++this.lastConnectionId,
      `${normaliseIp(socket.remoteAddress)}:${socket.remotePort ?? 0}`,
      socket,
      this.serializeType,
    )
    this.connections.add(conn)
    const decoder = new FrameDecoder({maxFrameBytes: this.opts.maxFrameBytes})
    const flow = new ConnectionFlow<[RemotingCommand, 0 | 1]>(socket, this.opts.flow ?? DEFAULT_FLOW_LIMITS, ([cmd, type], done) => {
      this.dispatch(conn, cmd, type, done)
    })
    const onFrame = (cmd: RemotingCommand, serializeType: 0 | 1): void => {
      flow.push([cmd, this.replyInRequestType ? serializeType : this.serializeType])
    }
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.pushEach(chunk, onFrame)
      } catch (err) {
        this.log(`remoting server: bad frame from ${conn.remoteAddr}: ${(err as Error).message}; closing it`)
        socket.destroy()
      }
      flow.pump()
    })
    const idleMs = this.opts.idleTimeoutMs ?? 120_000
    if (idleMs > 0) {
      socket.setTimeout(idleMs, () => {
        this.log(`remoting server: connection ${conn.remoteAddr} idle for ${idleMs} ms; closing it`)
        socket.destroy()
      })
    }
    socket.on('error', (err) => this.log(`remoting server: connection ${conn.remoteAddr}: ${err.message}`))
    socket.on('close', () => {
      flow.close()
      this.connections.delete(conn)
      conn.markClosed()
    })
  }

  /** @param replyType the header type the reply will be written in */
  /** @param done called once the request is answered (or needs no answer) */
  private dispatch(conn: ServerConnection, req: RemotingCommand, replyType: 0 | 1, done: () => void): void {
    // Replies to our own send() requests: nothing waits for them.
    if (isResponse(req)) return done()
    const handler = this.handlers.get(req.code)
    if (handler === undefined) {
      if (!this.warnedCodes.has(req.code)) {
        this.warnedCodes.add(req.code)
        this.log(`WARN remoting server: request code ${req.code} (${requestCodeName(req.code)}) from ${conn.remoteAddr} not supported; ` +
          'answering REQUEST_CODE_NOT_SUPPORTED (logged once per code)')
      }
      const remark = ` request type ${req.code} not supported`
      this.reply(conn, req, newResponse(req, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {remark}), replyType)
      return done()
    }
    let result: ReturnType<RequestHandler>
    try {
      result = handler(req, conn)
    } catch (err) {
      this.reply(conn, req, errorResponse(req, err), replyType)
      return done()
    }
    // Synchronous handlers (the common case) answer without a promise round trip.
    if (result instanceof Promise) {
      result.then(
        (response) => this.reply(conn, req, response, replyType),
        (err: unknown) => this.reply(conn, req, errorResponse(req, err), replyType),
      ).finally(done)
    } else {
      this.reply(conn, req, result, replyType)
      done()
    }
  }

  private reply(conn: ServerConnection, req: RemotingCommand, response: RemotingCommand | undefined, replyType: 0 | 1): void {
    if (response === undefined || isOneway(req) || conn.closed) return
    // newResponse() already made it a reply to req; copy only a handler's own command.
    const ready = response.opaque === req.opaque && (response.flag & RemotingFlag.RESPONSE) !== 0
    const out: RemotingCommand = ready ? response : {...response, opaque: req.opaque, flag: response.flag | RemotingFlag.RESPONSE}
    try {
      conn.writer.writeAs(out, replyType)
    } catch (err) {
      // Unencodable response (e.g. over the frame limit): tell the client instead of going silent.
      this.log(`remoting server: cannot encode reply to ${requestCodeName(req.code)}: ${(err as Error).message}`)
      conn.writer.writeAs(errorResponse(req, err), replyType)
    }
  }
}

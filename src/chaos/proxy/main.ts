/**
 * The fault proxy as its own process: `node dist/src/chaos/proxy/main.js [--control-port N] [--seed S]`.
 * Prints one ready line with the control address, then serves until SIGTERM/SIGINT or until its parent
 * goes away (the process is reparented), so an orchestrator crash never leaves a proxy behind.
 */
import {FaultProxy} from './fault-proxy.js'
import {serveProxyControl} from './proxy-control.js'

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isInteger(v) || v < 0) {
    process.stderr.write(`${name}: expected a non-negative integer\n`)
    process.exit(2)
  }
  return v
}

async function main(): Promise<void> {
  const proxy = new FaultProxy({seed: flag('--seed', 1)})
  const control = await serveProxyControl(proxy, flag('--control-port', 0))
  const stop = async (): Promise<void> => {
    control.server.close()
    await proxy.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop())
  process.on('SIGINT', () => void stop())
  // stdin may be /dev/null under a supervisor, so watch the parent itself: reparented means orphaned.
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) void stop()
  }, 1000).unref()
  process.stdout.write(`mqbench proxy ready control=127.0.0.1:${control.port}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`mqbench proxy: ${(err as Error).message}\n`)
  process.exit(3)
})

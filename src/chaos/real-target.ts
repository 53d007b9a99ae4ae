/**
 * A scenario written for the embedded broker, made honest for a real Apache RocketMQ broker before
 * anything starts. The built-in chaos scenarios get their power cuts and disk faults from broker.conf
 * keys only our broker reads (pageCacheMode: volatile, mqbenchFaultInjection); RocketMQ ignores unknown
 * keys, so left alone a "power cut" would be a plain SIGKILL that keeps the OS page cache and loses
 * nothing. Instead every broker such a fault targets gets its store on faultfs (storeFs: faultfs, the
 * file system fails, not the broker), set automatically rather than required because it is the real
 * broker's only honest mechanism for these faults and the built-ins would otherwise all be refused;
 * a missing faultfs is then exit 2 like any faultfs scenario. Network faults apply: on the HA link the
 * slave's haMasterAddress is the fault proxy's HA route (cluster/ha-master-address.ts); on the client link
 * a 5.x broker, bound to 127.0.0.1 only, registers 127.0.0.2 with its port, which the proxy takes
 * (proxy/fault-proxy-process.ts). What cannot apply is refused (exit 2, one line): our broker's deliberate
 * bugs (mqbenchBrokenMode) and client-link faults on 4.x, which binds its port on every interface.
 */
import {parseTarget, resolveBrokers} from './targets.js'
import {DEFAULT_ROCKETMQ_VERSION, isRocketMQAvailable, type RocketMQAvailability} from '../cluster/rocketmq-cluster.js'
import {ConfigError} from '../errors.js'
import type {Scenario} from '../scenario/schema.js'
import {chaosBrokers} from './run-chaos.js'

/** Faults whose mechanism is the broker's disk: on a real broker only faultfs delivers them. */
export const FILE_SYSTEM_FAULTS: ReadonlySet<string> = new Set(['power-loss', 'fsync-lie', 'disk-eio', 'disk-full', 'slow-fsync', 'torn-write'])
const NETWORK_FAULTS: ReadonlySet<string> = new Set(['latency', 'bandwidth', 'drop', 'blackhole', 'partition', 'slow-close'])
// Read by our broker only; on a real broker their job is faultfs's (or they would silently do nothing).
const EMBEDDED_ONLY_KEYS = ['pageCacheMode', 'pageCacheWriteback', 'pageCacheSeed', 'mqbenchFaultInjection']
// Network faults default to the HA link only for partition (src/chaos/faults/partition.ts).
const HA_DEFAULT: ReadonlySet<string> = new Set(['partition'])

export interface RealTargetPlan {
  scenario: Scenario
  /** One line per broker moved onto faultfs, for the run's notes. */
  notes: string[]
}

const REAL_BROKER = {what: 'a real RocketMQ broker (--target rocketmq)', hint: 'run it with --target embedded'}
const EXISTING_CLUSTER = {what: 'a cluster mqbench did not start (--namesrv)', hint: 'run it without --namesrv, on a cluster mqbench starts'}

function refuse(scenario: Scenario, what: string, on = REAL_BROKER): never {
  throw new ConfigError(`scenario ${scenario.name}: ${what} cannot apply to ${on.what}`, {hint: on.hint})
}

/**
 * The scenario unchanged for the embedded broker; for rocketmq, faultfs where needed, or a ConfigError.
 * On an existing cluster every broker fault is refused: each one needs the broker's process, disk or
 * network route, and mqbench holds none of them (faults on our own workers still apply).
 */
export function forRealBroker(scenario: Scenario, availability: (version: string) => RocketMQAvailability = isRocketMQAvailable): RealTargetPlan {
  if (scenario.cluster.namesrv !== undefined) {
    scenario.faults.forEach((f, i) => {
      if (parseTarget(f.target)?.kind === 'broker') refuse(scenario, `faults.${i} (${f.action} on ${f.target}: needs control of the broker's processes, disks or network)`, EXISTING_CLUSTER)
    })
    return {scenario, notes: []}
  }
  if (scenario.target !== 'rocketmq') return {scenario, notes: []}
  const version = scenario.rocketmqVersion ?? DEFAULT_ROCKETMQ_VERSION
  // Before the run directory exists: a missing JDK or release is a usage error (exit 2), not a broken run.
  const available = availability(version)
  if (!available.ok) throw new ConfigError(available.reason, {hint: `npm run rocketmq:install -- --version ${version}`})
  const s = structuredClone(scenario)
  s.cluster.brokers.forEach((b, i) => {
    if (b.conf['mqbenchBrokenMode'] !== undefined) refuse(s, `cluster.brokers.${i}.conf.mqbenchBrokenMode (a deliberate bug of the embedded broker)`)
  })
  const brokers = chaosBrokers(s)
  const onFaultFs = new Set<string>()
  s.faults.forEach((f, i) => {
    const link = (f.params as Record<string, unknown> | undefined)?.['link'] ?? (HA_DEFAULT.has(f.action) ? 'ha' : 'client')
    if (NETWORK_FAULTS.has(f.action) && link !== 'ha' && version.startsWith('4.')) {
      refuse(s, `faults.${i} (${f.action} on the client link: a 4.x broker binds its port on every interface, so the fault proxy cannot take its registered address)`)
    }
    if (!FILE_SYSTEM_FAULTS.has(f.action)) return
    const spec = parseTarget(f.target)
    if (spec?.kind === 'broker') for (const n of resolveBrokers(spec, brokers)) onFaultFs.add(n)
  })
  const notes: string[] = []
  for (const b of s.cluster.brokers) {
    for (const k of EMBEDDED_ONLY_KEYS) delete b.conf[k]
    const node = brokers.find((x) => x.brokerName === b.brokerName && x.brokerId === b.brokerId)!.node
    if (onFaultFs.has(node) && b.conf['storeFs'] !== 'faultfs') {
      b.conf['storeFs'] = 'faultfs'
      notes.push(`${node}: store on faultfs (storeFs: faultfs), so power cuts and disk faults reach the real broker's files`)
    }
  }
  return {scenario: s, notes}
}

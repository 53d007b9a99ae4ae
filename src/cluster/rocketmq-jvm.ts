/** The java command line of one RocketMQ node (namesrv or broker) run from the installed jars. */
import {join} from 'node:path'

const NAMESRV_MAIN = 'org.apache.rocketmq.namesrv.NamesrvStartup'
const BROKER_MAIN = 'org.apache.rocketmq.broker.BrokerStartup'
// Java 17 strong encapsulation: 4.x unmaps MappedFiles through jdk.internal.ref.Cleaner and nio internals;
// 5.x does not need these, and they are harmless there.
const JAVA17_FLAGS = [
  '--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
]

export interface JvmNode {
  kind: 'namesrv' | 'broker'
  /** -Xms/-Xmx (and a broker's direct memory), e.g. '512m'. */
  heap: string
  version: string
  /** The node's own directory: RocketMQ writes its logs and default paths under user.home. */
  userHome: string
  libDir: string
  confFile: string
}

export function jvmArgs(n: JvmNode): string[] {
  const isBroker = n.kind === 'broker'
  return [
    '-server', `-Xms${n.heap}`, `-Xmx${n.heap}`, '-XX:+UseG1GC', '-XX:-OmitStackTraceInFastThrow',
    ...(isBroker ? [`-XX:MaxDirectMemorySize=${n.heap}`] : []),
    ...JAVA17_FLAGS,
    `-Duser.home=${n.userHome}`,
    // 5.x picks the first rmq.*.logback.xml on the classpath, which is the broker's even for namesrv.
    ...(n.version.startsWith('4.') ? [] : [`-Drmq.logback.configurationFile=rmq.${n.kind}.logback.xml`]),
    '-cp', join(n.libDir, '*'),
    isBroker ? BROKER_MAIN : NAMESRV_MAIN,
    '-c', n.confFile,
  ]
}

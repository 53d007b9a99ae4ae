/**
 * Runs RocketMQ's own admin CLI (mqadmin: org.apache.rocketmq.tools.command.MQAdminStartup from
 * rocketmq-tools, installed with the namesrv and broker jars by scripts/rocketmq-install.mjs)
 * asynchronously, so load driven from the test process keeps flowing while a command runs.
 */
import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {rocketmqInstallDir} from '../../src/cluster/rocketmq-cluster.js'

const MAIN = 'org.apache.rocketmq.tools.command.MQAdminStartup'
// The tools jar finds the broker's logback config on the class path and prints its status lines;
// the (shaded) no-op listener silences them so the output is the command's own.
const QUIET_LOGBACK = '-Dlogback.statusListenerClass=org.apache.rocketmq.logging.ch.qos.logback.core.status.NopStatusListener'
const COMMAND_TIMEOUT_MS = 120_000

export interface MqadminResult {
  exitCode: number
  output: string
}

/**
 * @param homeDir the JVM's user.home: RocketMQ's client logs go to <home>/logs/rocketmqlogs, kept
 *   out of the real home directory.
 */
export function mqadmin(version: string, homeDir: string, namesrvAddr: string, args: string[]): Promise<MqadminResult> {
  const lib = join(rocketmqInstallDir(version), 'lib')
  const argv = [`-Duser.home=${homeDir}`, QUIET_LOGBACK, '-cp', `${lib}/*`, MAIN, ...args, '-n', namesrvAddr]
  return new Promise((resolve) => {
    execFile('java', argv, {timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024}, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({exitCode: code, output: `${stdout}${stderr}`})
    })
  })
}

/** What mqadmin prints when a sub-command fails (it still exits 0): a SubCommandException trace. */
export function failureIn(output: string): string | undefined {
  const line = output.split('\n').find((l) => /Exception|command failed|not supported/.test(l))
  return line?.trim()
}

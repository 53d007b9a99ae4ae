/** startFailure/causeLines: a JVM's start error quotes the lines of its output that say why, not its stack frames or logback chatter. */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {causeLines, startFailure} from '../../../src/cluster/jvm-start-failure.js'
import {RunBrokenError} from '../../../src/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'mqbench-jvm-fail-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

// Shaped like what RocketMQ 5.3.3's BrokerStartup printed when its port was taken.
const STDOUT = [
  '02:28:45,551 |-INFO in org.apache.rocketmq.logging.ch.qos.logback.classic.model.processor.RootLoggerModelHandler - Setting level of ROOT logger to INFO',
  '02:28:45,577 |-INFO in org.apache.rocketmq.common.logging.JoranConfiguratorExt@1d082e88 - Registering current configuration as safe fallback point',
  '',
  'java.lang.IllegalStateException: Failed to bind to 127.0.0.1:41397',
  '\tat org.apache.rocketmq.remoting.netty.NettyRemotingServer.start(NettyRemotingServer.java:236)',
  'Caused by: java.net.BindException: Address already in use',
  '\tat java.base/sun.nio.ch.Net.bind0(Native Method)',
  '\t... 12 more',
].join('\n')

describe('JVM start failure', () => {
  it('causeLines keeps the exception lines, drops frames, logback status and blanks', () => {
    const node = join(dir, 'broker-a-0')
    mkdirSync(node)
    writeFileSync(join(node, 'stdout.log'), STDOUT)
    expect(causeLines(join(node, 'stdout.log'))).toEqual([
      'java.lang.IllegalStateException: Failed to bind to 127.0.0.1:41397',
      'Caused by: java.net.BindException: Address already in use',
    ])
  })

  it('startFailure quotes them on the error line and names both logs', () => {
    const err = startFailure('broker-a-0', join(dir, 'broker-a-0'), new RunBrokenError('broker-a-0 exited (code 255) before printing /boot success/'))
    expect(err).toBeInstanceOf(RunBrokenError)
    expect(err.message).toBe(`broker-a-0 exited (code 255) before printing /boot success/; last lines of ${join(dir, 'broker-a-0', 'stdout.log')}: ` +
      '"java.lang.IllegalStateException: Failed to bind to 127.0.0.1:41397" | "Caused by: java.net.BindException: Address already in use"')
    expect(err.message).not.toContain('\n')
    expect(err.hint).toContain(join(dir, 'broker-a-0', 'logs', 'rocketmqlogs'))
  })

  it('a node that printed nothing says so', () => {
    expect(startFailure('namesrv', join(dir, 'none'), new Error('namesrv exited (code 1)')).message).toBe('namesrv exited (code 1); it printed nothing')
  })
})

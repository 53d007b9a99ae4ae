/**
 * workers/java SendAttempts: how many attempts one send of the official client took, counted through its
 * SendMessageHook (passes of the sync retry loop) and RPCHook (requests on the wire, incl. async
 * re-sends). test/java/.../SendAttemptsCheck.java calls the hooks as the client does, compiled here
 * against each built client version, since the request header's class moved between 4.9.x and 5.x.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, expect, it} from 'vitest'

import {describeJava, javaMain} from '../../helpers/java-client.js'

const SOURCE = join(import.meta.dirname, '..', '..', 'java', 'org', 'mqbench', 'worker', 'SendAttemptsCheck.java')
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-send-attempts-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

const HEADER_V2: Record<string, string> = {
  '5.3.3': 'org.apache.rocketmq.remoting.protocol.header.SendMessageRequestHeaderV2',
  '4.9.7': 'org.apache.rocketmq.common.protocol.header.SendMessageRequestHeaderV2',
}

for (const version of Object.keys(HEADER_V2)) {
  describeJava('SendAttempts', () => {
    it('counts sync passes and async re-sends once each, never twice for one attempt', () => {
      const {args} = javaMain('org.mqbench.worker.SendAttemptsCheck', version)
      const cp = args[args.indexOf('-cp') + 1]!
      const out = join(tmp, version)
      execFileSync('javac', ['-nowarn', '-d', out, '-cp', cp, SOURCE], {stdio: ['ignore', 'ignore', 'inherit']})
      const line = execFileSync('java', ['-cp', `${out}:${cp}`, 'org.mqbench.worker.SendAttemptsCheck', HEADER_V2[version]!], {encoding: 'utf8'}).trim()
      expect(line).toBe('sync=3 async=3 once=1 unseen=1 pull=1')
    })
  }, version)
}

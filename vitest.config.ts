import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // *.serial.test.ts measure the machine (rate adherence): they run alone afterwards, see vitest.serial.config.ts.
    // *.rocketmq.test.ts run real RocketMQ JVMs through chaos: their own project, see vitest.rocketmq.config.ts.
    exclude: ['**/node_modules/**', 'test/**/*.serial.test.ts', 'test/**/*.rocketmq.test.ts'],
    // Integration suites spawn real broker processes; two cores cannot run many at once.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
  },
})

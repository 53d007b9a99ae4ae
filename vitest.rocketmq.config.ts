import {defineConfig} from 'vitest/config'

/**
 * Chaos through the CLI against real Apache RocketMQ JVMs (test/**\/*.rocketmq.test.ts): each run starts
 * a namesrv and one or two brokers that take 10–30 s to boot and as long again to restart after a cut on
 * two cores, so one file and one test at a time, after everything else (npm test calls this last).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.rocketmq.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 900_000,
    disableConsoleIntercept: true,
  },
})

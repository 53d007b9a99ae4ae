import {defineConfig} from 'vitest/config'

/** Tests that need the whole machine (open-loop rate adherence at 20k msg/s on 2 cores; run-to-run repeatability for compare): one file at a time, nothing else running. */
export default defineConfig({
  test: {
    include: ['test/**/*.serial.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
  },
})

// Public surface of client/: re-exports only.
export * from './message.js'
export * from './send-result.js'
export * from './route-cache.js'
export * from './producer.js'
export * from './pull-consumer.js'
export * from './admin.js'
export * from './serialize-type.js'

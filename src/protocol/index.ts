// Public surface of protocol/: re-exports only.
export * from './protocol-error.js'
export * from './remoting-command.js'
export * from './frame.js'
export * from './header-json.js'
export * from './header-rocketmq.js'
export * from './request-code.js'
export * from './response-code.js'
export * from './headers/index.js'
export * from './bodies/index.js'
// Stored-message codec (owned by the lead):
export * from './message/index.js'
export * from './common/index.js'

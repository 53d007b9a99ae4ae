export * from './message-ext.js'
export * from './message-decoder.js'
export * from './message-id.js'
export * from './properties.js'

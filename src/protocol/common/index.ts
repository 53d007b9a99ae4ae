export * from './mix-all.js'
export * from './perm-name.js'
export * from './topic-config.js'
export * from './broker-role.js'

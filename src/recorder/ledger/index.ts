export * from './ledger-file.js'
export * from './producer-ledger.js'
export * from './delivery-ledger.js'
export * from './broker-names.js'

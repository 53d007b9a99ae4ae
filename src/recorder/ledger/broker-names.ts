/**
 * The producer ledger stores a broker name as a small index; this sidecar file
 * (`<ledger>.brokers.json`) maps indexes back to names. It is rewritten whenever a producer meets a
 * new broker name (rare), so even a killed producer leaves a complete table behind.
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {MqbenchError} from '../../errors.js'

export function brokerNamesPath(ledgerPath: string): string {
  return `${ledgerPath}.brokers.json`
}

export function writeBrokerNames(ledgerPath: string, names: readonly string[]): void {
  const path = brokerNamesPath(ledgerPath)
  writeFileSync(`${path}.tmp`, JSON.stringify(names))
  renameSync(`${path}.tmp`, path)
}

/** Empty when the producer never got an answer from any broker. */
export function readBrokerNames(ledgerPath: string): string[] {
  const path = brokerNamesPath(ledgerPath)
  if (!existsSync(path)) return []
  const names: unknown = JSON.parse(readFileSync(path, 'utf8'))
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw new MqbenchError('LEDGER_CORRUPT', `${path}: expected a JSON array of broker names`)
  }
  return names
}

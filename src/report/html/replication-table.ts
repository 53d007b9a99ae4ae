/**
 * The replication check in the HTML report, as in the terminal: after a run on master + slave, were
 * the two CommitLogs byte-identical (the digests and sizes say it rather than ask for trust).
 */
import {escapeHtml} from './escape.js'
import type {TableRun} from './html-tables.js'

export function replicationSection(runs: TableRun[]): string {
  const withReplica = runs.filter((r) => r.result.replication !== undefined)
  if (withReplica.length === 0) return ''
  const rows = withReplica.map(({label, color, result}) => {
    const rep = result.replication!
    const verdict = rep.commitLogIdentical ? '<td class="pass">identical</td>' : '<td class="fail">DIFFERENT</td>'
    return `<tr><td><span class="swatch" style="background:${color}"></span>${escapeHtml(label)}</td>${verdict}` +
      `<td><code>${escapeHtml(rep.masterSha256.slice(0, 16))}</code></td><td>${rep.masterBytes.toLocaleString('en-US')}</td>` +
      `<td><code>${escapeHtml(rep.slaveSha256.slice(0, 16))}</code></td><td>${rep.slaveBytes.toLocaleString('en-US')}</td></tr>`
  })
  return `<section id="replication"><h2>Replication: master and slave CommitLogs</h2><table><thead><tr><th>run</th><th>CommitLogs</th>` +
    `<th>master sha256</th><th>master bytes</th><th>slave sha256</th><th>slave bytes</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
}

/** What chaos may do to the worker fleet (kill-producer, kill-consumer): the fleet implements it. */
export interface WorkerControl {
  /** Live worker names of a role, e.g. ['producer-0', 'producer-1']. */
  names(role: 'producer' | 'consumer'): string[]
  /** SIGKILL; resolves once the process is gone. Its ledger stays and is audited. */
  kill(name: string): Promise<void>
  /** Starts a new process in the dead worker's place (same group, same queues, a fresh ledger). */
  respawn(name: string): Promise<void>
}

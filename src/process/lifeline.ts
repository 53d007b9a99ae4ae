/**
 * The lifeline's name on both ends: the supervisor hands every child the write end of a pipe and names
 * its fd in this variable; the child (src/broker/parent-lifeline.ts) exits when the pipe reaches EOF,
 * which happens however the orchestrator died, SIGKILL included.
 */
export const LIFELINE_ENV = 'MQBENCH_LIFELINE_FD'

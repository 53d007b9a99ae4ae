export {runScenario, type RunOptions, type RunOutcome} from './run-scenario.js'
export {RunEvents, type RunPhase, type RunTick} from './run-events.js'
export {withCycles} from './chaos-phase.js'
export {cleanRuns, removeStores, type CleanResult} from './run-cleanup.js'

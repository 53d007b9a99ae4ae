/**
 * How the matrix spends its budget. Per cell: 40 % on the rate search (it stops before a step that
 * would not fit), the rest on one common-rate run and the fault runs, whose lengths scale with the
 * budget between floors (a power cut needs load before and after it) and caps. With a tiny budget the
 * floors dominate: the wall time is then about cells × (one step + 2 s + 2 × 5 s + start-up costs).
 */
export interface MatrixPlan {
  searchBudgetMs: number
  stepDurationMs: number
  startRate: number
  commonDurationMs: number
  faultDurationMs: number
}

export const DEFAULT_MATRIX_BUDGET_MS = 10 * 60_000
const clamp = (v: number, lo: number, hi: number): number => Math.round(Math.min(hi, Math.max(lo, v)))

export function planMatrix(budgetMs: number, cells: number): MatrixPlan {
  const perCell = budgetMs / Math.max(1, cells)
  return {
    searchBudgetMs: Math.round(0.4 * perCell),
    stepDurationMs: clamp(0.02 * perCell, 1500, 3000),
    startRate: 250,
    commonDurationMs: clamp(0.04 * perCell, 2000, 5000),
    faultDurationMs: clamp(0.08 * perCell, 5000, 10_000),
  }
}

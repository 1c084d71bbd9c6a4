/** fast-check runs: FC_NUM_RUNS overrides (small in CI, large when hunting locally). */
export function numRuns(defaultRuns: number): number {
  const fromEnv = Number(process.env.FC_NUM_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns;
}

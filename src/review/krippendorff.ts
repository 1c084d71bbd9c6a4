/**
 * Krippendorff's alpha, from his own definition ("Computing Krippendorff's Alpha-Reliability",
 * 2011): a coincidence matrix of the values coders gave within each unit, each pair weighted by
 * 1 / (m_u − 1), then α = 1 − D_o / D_e, observed over expected disagreement. Any number of
 * coders, missing values allowed: a unit with fewer than two values is not pairable.
 */
export type Metric = 'nominal' | 'interval';

export interface AlphaResult {
  /** null when nothing is pairable, or every value is the same (no expected disagreement). */
  alpha: number | null;
  /** n: how many values lie in pairable units. */
  pairable: number;
  /** Units with two or more values. */
  units: number;
}

const delta2: Record<Metric, (a: number | string, b: number | string) => number> = {
  nominal: (a, b) => (a === b ? 0 : 1),
  interval: (a, b) => ((a as number) - (b as number)) ** 2,
};

/** `units[u]` holds the values the coders gave unit u (missing ones left out). */
export function krippendorffAlpha(units: readonly (readonly (number | string)[])[], metric: Metric): AlphaResult {
  const pairableUnits = units.filter((values) => values.length >= 2);
  // The coincidence matrix, sparse: o[c][k].
  const o = new Map<number | string, Map<number | string, number>>();
  for (const values of pairableUnits) {
    const weight = 1 / (values.length - 1);
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values.length; j++) {
        if (i === j) continue;
        const row = o.get(values[i]!) ?? new Map<number | string, number>();
        row.set(values[j]!, (row.get(values[j]!) ?? 0) + weight);
        o.set(values[i]!, row);
      }
    }
  }
  const n_c = new Map<number | string, number>();
  for (const [c, row] of o) n_c.set(c, [...row.values()].reduce((a, b) => a + b, 0));
  const n = [...n_c.values()].reduce((a, b) => a + b, 0);
  const d = delta2[metric];
  let observed = 0;
  for (const [c, row] of o) for (const [k, count] of row) observed += count * d(c, k);
  let expected = 0;
  for (const [c, nc] of n_c) for (const [k, nk] of n_c) if (c !== k) expected += nc * nk * d(c, k);
  const result = { pairable: Math.round(n), units: pairableUnits.length };
  if (n <= 1 || expected === 0) return { alpha: null, ...result };
  // α = 1 − D_o / D_e, with D_o = observed / n and D_e = expected / (n (n − 1)).
  return { alpha: 1 - ((n - 1) * observed) / expected, ...result };
}

/**
 * A bootstrap interval for α: units resampled with replacement, α recomputed each time, the
 * 2.5th and 97.5th percentiles kept. Seeded, so the same data give the same interval.
 */
export function bootstrapAlpha(
  units: readonly (readonly (number | string)[])[],
  metric: Metric,
  { samples = 1000, seed = 1 }: { samples?: number; seed?: number } = {},
): { low: number | null; high: number | null } {
  const pairable = units.filter((values) => values.length >= 2);
  if (pairable.length === 0) return { low: null, high: null };
  const random = mulberry32(seed);
  const alphas: number[] = [];
  for (let s = 0; s < samples; s++) {
    const drawn = Array.from({ length: pairable.length }, () => pairable[Math.floor(random() * pairable.length)]!);
    const { alpha } = krippendorffAlpha(drawn, metric);
    if (alpha !== null) alphas.push(alpha);
  }
  if (alphas.length === 0) return { low: null, high: null };
  alphas.sort((a, b) => a - b);
  const at = (q: number) => alphas[Math.min(alphas.length - 1, Math.max(0, Math.floor(q * alphas.length)))]!;
  return { low: at(0.025), high: at(0.975) };
}

/** A small seeded generator (mulberry32): reproducible resampling without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

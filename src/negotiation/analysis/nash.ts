/**
 * The Nash bargaining solution on one issue (Nash 1950), as the DEU studies state it (Achen
 * 2006, in *The European Union Decides*): each party i, ideal point xᵢ, weight wᵢ (capability ×
 * salience), has the quadratic utility uᵢ(x) = −(x − xᵢ)²; the status quo q is what everyone gets
 * without agreement. The solution maximises Π (uᵢ(x) − uᵢ(q))^wᵢ over the outcomes every party
 * prefers to the status quo, i.e. Σ wᵢ·log((q − xᵢ)² − (x − xᵢ)²): a concave function on an
 * interval, found here by golden-section search. Achen shows it approaches the compromise model
 * (the weighted mean) as the status quo moves far from every party; near the status quo it is
 * pulled toward it, since a party close to it gains little from any deal. When the only
 * outcome every party accepts is the status quo (a party's ideal is q, or two want opposite
 * ways of it), the solution is q. Null only when every weight is 0.
 */
export function nashBargaining(points: { value: number; weight: number }[], statusQuo: number): number | null {
  const counted = points.filter((p) => p.weight > 0);
  if (counted.length === 0) return null;
  // Outcomes every party prefers (weakly) to the status quo: within |q − xᵢ| of each ideal.
  const low = Math.max(...counted.map((p) => p.value - Math.abs(statusQuo - p.value)));
  const high = Math.min(...counted.map((p) => p.value + Math.abs(statusQuo - p.value)));
  // Only the status quo itself: some party's ideal is it (or the others want opposite ways).
  if (high - low <= 1e-12) return statusQuo;
  const gain = (x: number) => counted.reduce((sum, p) => sum + p.weight * Math.log((statusQuo - p.value) ** 2 - (x - p.value) ** 2), 0);
  // Golden-section search for the maximum of a concave function on (low, high).
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [a, b] = [low, high];
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  for (let i = 0; i < 200 && b - a > 1e-10 * Math.max(1, Math.abs(high - low)); i++) {
    if (gain(c) >= gain(d)) [b, d] = [d, c];
    else [a, c] = [c, d];
    c = b - ratio * (b - a);
    d = a + ratio * (b - a);
  }
  return (a + b) / 2;
}

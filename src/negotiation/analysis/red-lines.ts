/** Whether a value breaks a red line (below its min or above its max); no line breaks nothing. */
export function outsideLine(value: number, line: { min: number | null; max: number | null } | null): boolean {
  if (!line) return false;
  return (line.min !== null && value < line.min) || (line.max !== null && value > line.max);
}

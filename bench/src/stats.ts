/**
 * The few statistics the harness reports. Medians everywhere: one slow round on a shared machine
 * (another process, a GC pause) moves a mean a lot and a median not at all.
 */

/** The median of `values`; the mean of the two middle values when their count is even; NaN when empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `value / base`, or NaN when the base is zero or missing (a ratio to nothing is not 0 and not Infinity). */
export function ratio(value: number, base: number | undefined): number {
  if (base === undefined || base === 0 || !Number.isFinite(base) || !Number.isFinite(value))
    return Number.NaN;
  return value / base;
}

/** `value - base`, or NaN when either is missing. */
export function difference(value: number, base: number | undefined): number {
  if (base === undefined || !Number.isFinite(base) || !Number.isFinite(value)) return Number.NaN;
  return value - base;
}

/** The smallest and largest finite value, for showing how far rounds spread. */
export function range(values: readonly number[]): { min: number; max: number } {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { min: Number.NaN, max: Number.NaN };
  return { min: Math.min(...finite), max: Math.max(...finite) };
}

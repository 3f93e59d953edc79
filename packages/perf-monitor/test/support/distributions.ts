import fc from "fast-check";

/** A small seeded PRNG (mulberry32), so a failing fast-check case replays exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The range the accuracy claim is tested over: one microsecond to one minute, in milliseconds. */
export const MIN_MS = 0.001;
export const MAX_MS = 60_000;

const clamp = (x: number) => Math.min(MAX_MS, Math.max(MIN_MS, x));

function normal(random: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A named sampler over [MIN_MS, MAX_MS]. */
export interface Distribution {
  readonly label: string;
  sample(random: () => number): number;
}

const logMs = fc.double({ min: Math.log(MIN_MS), max: Math.log(MAX_MS), noNaN: true });

const uniform = fc.tuple(logMs, logMs).map(([a, b]): Distribution => {
  const lo = Math.exp(Math.min(a, b));
  const hi = Math.exp(Math.max(a, b));
  return { label: `uniform(${lo}, ${hi})`, sample: (r) => clamp(lo + (hi - lo) * r()) };
});

const lognormal = fc.tuple(logMs, fc.double({ min: 0.05, max: 2.5, noNaN: true })).map(
  ([mu, sigma]): Distribution => ({
    label: `lognormal(${mu}, ${sigma})`,
    sample: (r) => clamp(Math.exp(mu + sigma * normal(r))),
  }),
);

const bimodal = fc.tuple(logMs, logMs, fc.double({ min: 0.05, max: 0.95, noNaN: true })).map(
  ([a, b, weight]): Distribution => ({
    label: `bimodal(${a}, ${b}, ${weight})`,
    sample: (r) => clamp(Math.exp((r() < weight ? a : b) + 0.3 * normal(r))),
  }),
);

const pareto = fc
  .tuple(logMs, fc.double({ min: 0.3, max: 4, noNaN: true }))
  .map(([logScale, shape]): Distribution => {
    const scale = Math.exp(logScale);
    return { label: `pareto(${scale}, ${shape})`, sample: (r) => clamp(scale / (1 - r()) ** (1 / shape)) };
  });

const constant = logMs.map((x): Distribution => {
  const value = Math.exp(x);
  return { label: `constant(${value})`, sample: () => clamp(value) };
});

/** Uniform, lognormal, bimodal, Pareto and constant distributions spanning 1 µs to 60 s. */
export const distributions = fc.oneof(uniform, lognormal, bimodal, pareto, constant);

/** Draws `n` samples from `d` with a seeded generator. */
export function draw(d: Distribution, n: number, seed: number): number[] {
  const random = seeded(seed);
  return Array.from({ length: n }, () => d.sample(random));
}

// Formatting of the X-Response-Time and Server-Timing headers (W3C Server Timing).

/** Characters a Server-Timing metric name may not contain (it must be an RFC 9110 token). */
const NOT_TOKEN = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g;

/** A metric name made into a token: any other character becomes `_`. */
export function serverTimingName(name: string): string {
  const token = name.replace(NOT_TOKEN, "_");
  return token.length === 0 ? "_" : token;
}

/** Milliseconds with at most three decimals and no exponent (`12.346`, `0`, `1500`). */
export function formatDuration(ms: number): string {
  return String(Math.round(ms * 1000) / 1000);
}

/** `X-Response-Time` as the original and the `response-time` package send it: `12.346ms`. */
export function formatResponseTime(ms: number): string {
  return `${ms.toFixed(3)}ms`;
}

/** `total;dur=12.3, db;dur=4.5`: the total first, then named timings in the order they ended. */
export function formatServerTiming(
  totalMs: number,
  names: readonly string[] | undefined,
  durations: readonly number[] | undefined,
): string {
  let header = `total;dur=${formatDuration(totalMs)}`;
  if (names === undefined || durations === undefined) return header;
  for (let i = 0; i < names.length; i++) {
    header += `, ${serverTimingName(names[i] as string)};dur=${formatDuration(durations[i] as number)}`;
  }
  return header;
}

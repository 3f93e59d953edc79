/** A clock tests move by hand, counting its reads. */
export function fakeClock(start = 1000) {
  let now = start;
  const clock = {
    reads: 0,
    now() {
      clock.reads++;
      return now;
    },
    advance(ms: number) {
      now += ms;
    },
  };
  return clock;
}

/** A logger that keeps what it was told. */
export function memoryLogger() {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => void warnings.push(message) };
}

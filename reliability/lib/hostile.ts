// Hostile inputs and the one rule every public function of Keel must follow under them: it works
// as documented or throws its package's typed error, and it answers in bounded time. Shared by the
// packages' test/hostile suites and the reliability scripts.
import fc from "fast-check";

/** Characters that mean something to a glob, a Redis MATCH pattern, a hash tag or a key layout. */
const SPECIAL = ["*", "?", "[", "]", "\\", "{", "}", "%", ":", "^", "!", "-", "/", " ", "\t"];

const controlChar = fc.integer({ min: 0, max: 31 }).map((code) => String.fromCharCode(code));
const loneSurrogate = fc.constantFrom("\uD800", "\uDBFF", "\uDC00", "\uDFFF");

/**
 * Keys, names, patterns and tags as an attacker would send them: empty, long (up to `maxLength`),
 * unicode (astral, combining, lone surrogates), glob and hash-tag characters, control characters.
 */
export function hostileString(maxLength = 64): fc.Arbitrary<string> {
  const unit = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
    { weight: 2, arbitrary: controlChar },
    { weight: 1, arbitrary: loneSurrogate },
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
    { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant("") },
    { weight: 6, arbitrary: fc.string({ unit, maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength }) },
  );
}

/** A string of `length` characters (one repeated unit), for the "very long" cases that fast-check would not reach. */
export function longString(length: number, unit = "a"): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Numbers that break naive arithmetic: 0, -0, negatives, NaN, ±Infinity, huge, tiny, non-integers, unsafe integers. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    1e-9,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER,
    2 ** 31,
    2 ** 32,
    1e21,
    1e300,
  ),
  fc.double(),
  fc.integer(),
  fc.integer({ min: -5, max: 5 }),
);

/** Something that is not even a number, where a number is expected. */
export const notANumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, "10", "", true, [], {}, 10n, Symbol("x"), () => 1),
  fc.string(),
);

/** An object that refers to itself. */
export function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { name: "cyclic", list: [] };
  value.self = value;
  (value.list as unknown[]).push(value);
  return value;
}

/** Values a cache may be handed: anything JSON-like, undefined, cyclic, functions, symbols, bigints, big. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(0).map(() => cyclic()) },
  { weight: 1, arbitrary: fc.constantFrom(Symbol("s"), () => 1, new WeakMap()) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }).map((kb) => longString(kb * 1024, "x")) },
);

/** How a call ended: a value, or the error it threw or rejected with. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/** Thrown when a call did not settle in its time bound: the one outcome hostile input may never cause. */
export class HangError extends Error {
  constructor(label: string, ms: number) {
    super(`${label} did not settle within ${ms} ms`);
    this.name = "HangError";
  }
}

/**
 * Runs `work` (sync or async) and resolves with its outcome, or rejects with a {@link HangError} when
 * it has not settled within `ms` milliseconds.
 */
export async function settle<T>(
  label: string,
  work: () => T | Promise<T>,
  ms = 2_000,
): Promise<Outcome<Awaited<T>>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(label, ms)), ms);
    timer.unref();
  });
  try {
    const value = await Promise.race([Promise.resolve().then(work), hang]);
    return { ok: true, value: value as Awaited<T> };
  } catch (error) {
    if (error instanceof HangError) throw error;
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asserts an outcome is a success or the package's typed error (an instance of `errorClass` whose
 * `code` starts with `codePrefix`); anything else (a TypeError, a RangeError, a plain Error) is
 * rethrown with the call named, so fast-check reports it and shrinks the input.
 */
export function typedOrOk<T>(
  label: string,
  outcome: Outcome<T>,
  errorClass: abstract new (...args: never[]) => Error,
  codePrefix: string,
): outcome is { readonly ok: true; readonly value: T } {
  if (outcome.ok) return true;
  const { error } = outcome;
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof errorClass && typeof code === "string" && code.startsWith(codePrefix)) return false;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  throw new Error(`${label} threw an untyped error (${detail})`, { cause: error });
}

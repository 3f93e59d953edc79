import { EducationError } from "../errors.js";

/**
 * Parses a PostgreSQL `bigint` (int8) as a JS number, so both backends return the same shape:
 * `pg` returns strings by default and PGlite numbers. Identity ids and counts stay far below
 * 2^53; a value above it throws rather than silently losing digits.
 *
 * @example
 * ```ts
 * parseInt8("42"); // 42
 * ```
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_INT8_RANGE",
      `bigint value ${text} is outside the safe integer range; cast it to text in the query (::text) to read it exactly`,
    );
  }
  return value;
}

/** The OID of PostgreSQL's `bigint` type. */
export const INT8_OID = 20;

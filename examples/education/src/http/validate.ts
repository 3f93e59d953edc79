import { invalid } from "./api-error.js";

// Small, explicit readers of request input: each returns a typed value or throws a 400 naming
// the field (`body.email`, `query.limit`, `params.slug`). No input ever reaches SQL otherwise
// than as a bound parameter; these only decide what is acceptable.

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WALLET = /^0x[0-9a-fA-F]{40}$/;

/** The request body as an object, or a 400 when it is missing or not a JSON object. */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("body", "must be a JSON object (send Content-Type: application/json)");
  }
  return body as Record<string, unknown>;
}

/** A required string of `min`..`max` characters (after trimming). */
export function requiredString(
  source: Record<string, unknown>,
  name: string,
  field: string,
  min = 1,
  max = 200,
) {
  const value = source[name];
  if (typeof value !== "string") throw invalid(field, "is required and must be a string");
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) {
    throw invalid(field, `must be ${min} to ${max} characters long`);
  }
  return trimmed;
}

/** An optional string of at most `max` characters, or `undefined`. */
export function optionalString(source: Record<string, unknown>, name: string, field: string, max = 2000) {
  if (source[name] === undefined) return undefined;
  return requiredString(source, name, field, 0, max);
}

/** A lower-cased email address (emails are stored lower-cased). */
export function email(source: Record<string, unknown>, field = "body.email"): string {
  const value = requiredString(source, "email", field, 3, 254).toLowerCase();
  if (!EMAIL.test(value)) throw invalid(field, "must be an email address");
  return value;
}

/** A password of 8 to 200 characters (not trimmed: spaces count). */
export function password(source: Record<string, unknown>, field = "body.password"): string {
  const value = source.password;
  if (typeof value !== "string") throw invalid(field, "is required and must be a string");
  if (value.length < 8 || value.length > 200) throw invalid(field, "must be 8 to 200 characters long");
  return value;
}

/** A wallet address, lower-cased: 0x and 40 hex digits. */
export function walletAddress(source: Record<string, unknown>, field = "body.walletAddress"): string {
  const value = source.walletAddress;
  if (typeof value !== "string" || !WALLET.test(value)) {
    throw invalid(field, "must be 0x followed by 40 hexadecimal digits");
  }
  return value.toLowerCase();
}

/** A URL slug: lower-case letters, digits and single dashes, at most 100 characters. */
export function slug(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length > 100 || !SLUG.test(value)) {
    throw invalid(field, "must be a slug (lower-case letters, digits and dashes)");
  }
  return value;
}

/** A UUID, as the database stores ids. */
export function uuid(value: unknown, field: string): string {
  if (typeof value !== "string" || !UUID.test(value)) throw invalid(field, "must be a UUID");
  return value.toLowerCase();
}

/** One of the allowed values, or `undefined` when absent. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

/** An integer in `min..max`, or `undefined` when absent. Query strings are parsed. */
export function integer(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof parsed !== "number" || !Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw invalid(field, `must be a whole number from ${min} to ${max}`);
  }
  return parsed;
}

/** A boolean, or `undefined` when absent. */
export function boolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw invalid(field, "must be true or false");
  return value;
}

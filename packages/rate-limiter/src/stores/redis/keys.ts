import type { RateLimitPolicy } from "../../types.js";

/**
 * Escapes `%`, `{`, `}` (and, in policy names, `:`) as `%XX`. The escape is injective, so two
 * different user keys never share Redis keys, and the hash tag `{...}` can never be closed early.
 */
function escapePart(text: string, pattern: RegExp): string {
  return text.replace(pattern, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * The hash-tag content for a client key. An empty tag (`{}`) would make Redis hash the whole key name,
 * scattering one decision's keys over several slots, so the empty key becomes a lone `%` (which the
 * escape never produces for a non-empty key).
 */
export function hashTag(key: string): string {
  if (key === "") return "%";
  return TAG_SPECIALS.test(key) ? escapePart(key, /[%{}]/g) : key;
}

/** Whether a key needs escaping at all (most never do): a test allocates nothing, a replace does. */
const TAG_SPECIALS = /[%{}]/;

/** A policy name as it appears after the tag; `:` is escaped so a name can never mimic `block:<name>`. */
export function policyPart(name: string): string {
  return escapePart(name, /[%:{}]/g);
}

/** What follows a key's tag for one policy: `}:<policy>` and `}:block:<policy>`, escaped once per policy. */
interface PolicySuffixes {
  readonly state: string;
  readonly block: string;
}

const SUFFIXES = new WeakMap<RateLimitPolicy, PolicySuffixes>();

function suffixesOf(policy: RateLimitPolicy): PolicySuffixes {
  let suffixes = SUFFIXES.get(policy);
  if (suffixes === undefined) {
    const part = policyPart(policy.name);
    suffixes = { state: `}:${part}`, block: `}:block:${part}` };
    SUFFIXES.set(policy, suffixes);
  }
  return suffixes;
}

/** The state key of one policy: `<prefix>{<key>}:<policy>`. */
export function stateKey(prefix: string, key: string, policy: RateLimitPolicy): string {
  return `${prefix}{${hashTag(key)}${suffixesOf(policy).state}`;
}

/**
 * Every Redis key one decision touches, in the order the scripts read them: for policy `i`,
 * `KEYS[2i+1]` is its state and `KEYS[2i+2]` its block. All share one hash tag, hence one Cluster slot.
 */
export function decisionKeys(prefix: string, key: string, policies: readonly RateLimitPolicy[]): string[] {
  const tagged = `${prefix}{${hashTag(key)}`;
  const keys: string[] = [];
  for (const policy of policies) {
    const { state, block } = suffixesOf(policy);
    keys.push(tagged + state, tagged + block);
  }
  return keys;
}

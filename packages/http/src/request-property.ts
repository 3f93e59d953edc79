import { IncomingMessage } from "node:http";
import { HttpError } from "./errors.js";

// Express requests do not share hidden classes (Express swaps their prototype per request), so
// every property added to one copies its whole map: about 2 KB in old space and several µs of CPU
// per request under load. A property Express's request prototype already has (an accessor over a
// WeakMap, added once) costs nothing of the kind. Plain Node requests share their map and keep
// plain properties.

// One WeakMap per name for the whole process, so that two copies of a package (or of this one)
// setting the same property read and write the same values.
const REGISTRY = Symbol.for("@keel/http.requestProperties");

function valuesOf(name: string): WeakMap<object, unknown> {
  const global = globalThis as { [REGISTRY]?: Map<string, WeakMap<object, unknown>> };
  global[REGISTRY] ??= new Map();
  const registry = global[REGISTRY];
  let values = registry.get(name);
  if (values === undefined) {
    values = new WeakMap();
    registry.set(name, values);
  }
  return values;
}

/** Express's request prototype: the object just above `IncomingMessage.prototype`, if any. */
function frameworkPrototypeOf(req: object): object | undefined {
  let proto = Object.getPrototypeOf(req) as object | null;
  if (proto === IncomingMessage.prototype) return undefined;
  while (proto !== null) {
    const next = Object.getPrototypeOf(proto) as object | null;
    if (next === IncomingMessage.prototype) return proto;
    proto = next;
  }
  return undefined;
}

/**
 * Makes a setter for one property that middleware puts on requests (`req.rateLimit`, `req.perf`),
 * so that setting it on an Express request adds no own property. On Express the property becomes an
 * accessor on Express's request prototype (the object Express documents extending), reading a
 * WeakMap, installed the first time it is set; an application can still assign and read it as
 * usual. Other requests get a plain property.
 *
 * @param name - the property name
 * @returns `set(req, value)`, after which `req[name]` reads `value`
 * @throws {@link HttpError} `ERR_KEEL_HTTP_PROPERTY` when `name` is not a non-empty string
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from "node:http";
 * import { requestProperty } from "@keel/http";
 *
 * const setTenant = requestProperty<string>("tenant");
 * function tenantMiddleware(req: IncomingMessage, _res: unknown, next: () => void): void {
 *   setTenant(req, String(req.headers["x-tenant"] ?? "public"));
 *   next();
 * }
 * ```
 */
export function requestProperty<T>(name: string): (req: IncomingMessage, value: T) => void {
  if (typeof name !== "string" || name.length === 0) {
    throw new HttpError(
      "ERR_KEEL_HTTP_PROPERTY",
      `requestProperty: name must be a non-empty string, got ${String(name)}`,
    );
  }
  const values = valuesOf(name) as WeakMap<object, T>;
  const prototypes = new WeakSet<object>();

  function install(proto: object): boolean {
    if (prototypes.has(proto)) return true;
    const existing = Object.getOwnPropertyDescriptor(proto, name);
    if (existing !== undefined && existing.configurable === false) return false;
    Object.defineProperty(proto, name, {
      configurable: true,
      enumerable: false,
      get(this: object): T | undefined {
        return values.get(this);
      },
      set(this: object, value: T) {
        values.set(this, value);
      },
    });
    prototypes.add(proto);
    return true;
  }

  return (req, value) => {
    const proto = frameworkPrototypeOf(req);
    if (proto !== undefined && install(proto) && !Object.hasOwn(req, name)) values.set(req, value);
    else (req as unknown as Record<string, unknown>)[name] = value;
  };
}

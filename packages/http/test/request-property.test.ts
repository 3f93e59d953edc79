import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { HttpError, requestProperty } from "../src/index.js";

/** A request shaped like Express makes them: its own prototype between it and IncomingMessage's. */
function frameworkRequests(count: number): IncomingMessage[] {
  const frameworkPrototype = Object.create(IncomingMessage.prototype) as object;
  return Array.from({ length: count }, () => {
    const req = new IncomingMessage(new Socket());
    Object.setPrototypeOf(req, frameworkPrototype);
    return req;
  });
}

describe("requestProperty", () => {
  it("adds no own property to a framework's request, and each request reads its own value", () => {
    const setTenant = requestProperty<string>("tenantA");
    const [a, b, c] = frameworkRequests(3) as [IncomingMessage, IncomingMessage, IncomingMessage];
    setTenant(a, "alpha");
    setTenant(b, "beta");
    expect(Object.hasOwn(a, "tenantA")).toBe(false);
    expect((a as unknown as { tenantA: string }).tenantA).toBe("alpha");
    expect((b as unknown as { tenantA: string }).tenantA).toBe("beta");
    expect((c as unknown as { tenantA?: string }).tenantA).toBeUndefined();
  });

  it("lets the application assign the property itself", () => {
    const setTenant = requestProperty<string>("tenantB");
    const [a] = frameworkRequests(1) as [IncomingMessage];
    setTenant(a, "alpha");
    (a as unknown as { tenantB: string }).tenantB = "mine";
    expect((a as unknown as { tenantB: string }).tenantB).toBe("mine");
  });

  it("shares values between two setters of one name (two copies of a package)", () => {
    const first = requestProperty<number>("tenantC");
    const second = requestProperty<number>("tenantC");
    const [a, b] = frameworkRequests(2) as [IncomingMessage, IncomingMessage];
    first(a, 1);
    second(b, 2);
    expect((a as unknown as { tenantC: number }).tenantC).toBe(1);
    expect((b as unknown as { tenantC: number }).tenantC).toBe(2);
  });

  it("sets a plain property on a plain Node request", () => {
    const setTenant = requestProperty<string>("tenantD");
    const req = new IncomingMessage(new Socket());
    setTenant(req, "plain");
    expect(Object.hasOwn(req, "tenantD")).toBe(true);
    expect((req as unknown as { tenantD: string }).tenantD).toBe("plain");
  });

  it("refuses an empty name", () => {
    expect(() => requestProperty("")).toThrow(HttpError);
    expect(() => requestProperty("")).toThrow(/non-empty string/);
  });
});

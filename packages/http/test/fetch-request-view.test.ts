import { describe, expect, it } from "vitest";
import { clientIpOf, compileTrustProxy, fetchRequestView } from "../src/index.js";

describe("fetchRequestView", () => {
  it("reads method, path and query from the URL", () => {
    const view = fetchRequestView(new Request("https://example.com/api/modules/a%20b?page=2#frag"));
    expect([view.method, view.path, view.query]).toEqual(["GET", "/api/modules/a%20b", "page=2"]);
  });

  it("gives / and an empty query for a bare origin", () => {
    const view = fetchRequestView(new Request("http://example.com"));
    expect([view.path, view.query]).toEqual(["/", ""]);
  });

  it("upper-cases methods the Fetch standard leaves as they are", () => {
    expect(fetchRequestView(new Request("http://x/", { method: "purge" })).method).toBe("PURGE");
  });

  it("reads headers case-insensitively and joins repeated ones", () => {
    const headers = new Headers();
    headers.append("X-Forwarded-For", "203.0.113.7");
    headers.append("x-forwarded-for", "10.0.0.1");
    const view = fetchRequestView(new Request("http://x/", { headers }));
    expect(view.header("X-FORWARDED-FOR")).toBe("203.0.113.7, 10.0.0.1");
    expect(view.header("absent")).toBeUndefined();
  });

  it("carries the socket peer it was given, or none", () => {
    expect(fetchRequestView(new Request("http://x/"), "::1").remoteAddress).toBe("::1");
    expect(fetchRequestView(new Request("http://x/")).remoteAddress).toBeUndefined();
  });

  it("never touches the body", async () => {
    const request = new Request("http://x/", { method: "POST", body: "payload" });
    fetchRequestView(request).header("content-type");
    expect(request.bodyUsed).toBe(false);
    expect(await request.text()).toBe("payload");
  });

  it("feeds clientIpOf", () => {
    const request = new Request("http://x/", { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(clientIpOf(fetchRequestView(request, "127.0.0.1"), compileTrustProxy("loopback"))).toBe(
      "203.0.113.7",
    );
    expect(clientIpOf(fetchRequestView(request), compileTrustProxy(true))).toBeUndefined();
  });
});

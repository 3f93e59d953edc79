import { describe, expect, it } from "vitest";
import { splitTarget } from "../src/request-view.js";

describe("splitTarget", () => {
  it("splits origin-form targets", () => {
    expect(splitTarget("/a/b?c=1&d")).toEqual({ path: "/a/b", query: "c=1&d" });
    expect(splitTarget("/a?")).toEqual({ path: "/a", query: "" });
    expect(splitTarget("/a?b?c")).toEqual({ path: "/a", query: "b?c" });
  });

  it("keeps the asterisk-form target", () => {
    expect(splitTarget("*")).toEqual({ path: "*", query: "" });
  });

  it("strips scheme and authority from absolute-form targets", () => {
    expect(splitTarget("http://h:1/x?y")).toEqual({ path: "/x", query: "y" });
    expect(splitTarget("http://h?y")).toEqual({ path: "/", query: "y" });
    expect(splitTarget("")).toEqual({ path: "/", query: "" });
    expect(splitTarget("garbage")).toEqual({ path: "/", query: "" });
  });

  it("drops a fragment", () => {
    expect(splitTarget("/a?b#c?d")).toEqual({ path: "/a", query: "b" });
  });
});

import Router from "@koa/router";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import {
  expressRouteTemplate,
  fastifyRouteTemplate,
  honoRouteTemplate,
  koaRouteTemplate,
  routeName,
  UNMATCHED_ROUTE,
} from "../src/index.js";
import { listen, type TestServer } from "./helpers/server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("routeName", () => {
  it("joins the upper-cased method and the template", () => {
    expect(routeName("get", "/api/modules/:slug")).toBe("GET /api/modules/:slug");
  });

  it("names every unmatched request alike", () => {
    expect(routeName("POST", undefined)).toBe(`POST ${UNMATCHED_ROUTE}`);
    expect(UNMATCHED_ROUTE).toBe("(unmatched)");
  });
});

describe("expressRouteTemplate", () => {
  it("reads baseUrl and route path once the response finishes", async () => {
    const seen: (string | undefined)[] = [];
    const app = express();
    app.use((req, res, next) => {
      res.on("finish", () => seen.push(expressRouteTemplate(req)));
      next();
    });
    const api = express.Router();
    const v2 = express.Router();
    v2.get("/items/:id", (_req, res) => void res.send("item"));
    api.get("/modules/:slug", (_req, res) => void res.json({ ok: true }));
    api.use("/v2", v2);
    app.use("/api", api);
    app.get("/health", (_req, res) => void res.end("ok"));
    app.get(/^\/re\/\d+$/, (_req, res) => void res.end("re"));
    app.get(["/a", "/b"], (_req, res) => void res.end("ab"));
    server = await listen(app);
    for (const path of ["/api/modules/intro", "/api/v2/items/7", "/health", "/re/12", "/b", "/nope"]) {
      await (await fetch(server.url + path)).arrayBuffer();
    }
    expect(seen).toEqual([
      "/api/modules/:slug",
      "/api/v2/items/:id",
      "/health",
      "/^\\/re\\/\\d+$/",
      "/a,/b",
      undefined,
    ]);
  });

  it("returns undefined before a route has matched", () => {
    expect(expressRouteTemplate({ baseUrl: "" })).toBeUndefined();
    expect(expressRouteTemplate({ route: { path: "/x" } })).toBe("/x");
    expect(expressRouteTemplate({ route: { path: 42 } })).toBeUndefined();
  });
});

describe("fastifyRouteTemplate", () => {
  it("reads routeOptions.url, prefixes included, and undefined for the not-found handler", async () => {
    const seen: (string | undefined)[] = [];
    const app = Fastify();
    app.addHook("onResponse", async (request) => {
      seen.push(fastifyRouteTemplate(request));
    });
    app.get("/api/modules/:slug", async () => ({ ok: true }));
    await app.register(
      async (scope) => {
        scope.get("/items/:id", async () => "item");
      },
      { prefix: "/v2" },
    );
    for (const url of ["/api/modules/intro", "/v2/items/7", "/nope"]) await app.inject({ url });
    await app.close();
    expect(seen).toEqual(["/api/modules/:slug", "/v2/items/:id", undefined]);
  });
});

describe("honoRouteTemplate", () => {
  it("reads the path of the handler that ran, and undefined when only catch-all middleware matched", async () => {
    const seen: (string | undefined)[] = [];
    const app = new Hono();
    app.use(async (c, next) => {
      await next();
      seen.push(honoRouteTemplate(c));
    });
    app.use("/api/*", async (_c, next) => next());
    app.get("/api/modules/:slug", (c) => c.json({ ok: true }));
    const v2 = new Hono();
    v2.get("/items/:id", (c) => c.text("item"));
    app.route("/v2", v2);
    for (const path of ["/api/modules/intro", "/v2/items/7", "/nope", "/api/nope"]) await app.request(path);
    expect(seen).toEqual(["/api/modules/:slug", "/v2/items/:id", undefined, "/api/*"]);
  });

  it("treats a routePath that throws as no route", () => {
    const c = {
      req: {
        get routePath(): string {
          throw new TypeError("Cannot read properties of undefined (reading 'path')");
        },
      },
    };
    expect(honoRouteTemplate(c)).toBeUndefined();
  });
});

describe("koaRouteTemplate", () => {
  it("reads the route @koa/router matched, prefix included", async () => {
    const seen: (string | undefined)[] = [];
    const app = new Koa();
    app.use(async (ctx, next) => {
      await next();
      seen.push(koaRouteTemplate(ctx));
    });
    const router = new Router({ prefix: "/api" });
    router.get("/modules/:slug", (ctx) => {
      ctx.body = { ok: true };
    });
    app.use(router.routes());
    server = await listen(app.callback());
    for (const path of ["/api/modules/intro", "/nope"]) await (await fetch(server.url + path)).arrayBuffer();
    expect(seen).toEqual(["/api/modules/:slug", undefined]);
  });

  it("turns a RegExp route into its source text", () => {
    expect(koaRouteTemplate({ _matchedRoute: /^\/x$/ })).toBe("/^\\/x$/");
  });
});

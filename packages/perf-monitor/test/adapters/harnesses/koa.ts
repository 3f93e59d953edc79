import Router from "@koa/router";
import Koa from "koa";
import request from "supertest";
import { middleware } from "../../../src/adapters/koa.js";
import { type Harness, moduleWork, plainHeaders } from "../harness.js";

export const koaHarness: Harness = {
  name: "koa",
  lastByte: true,
  async start(options, clock) {
    const app = new Koa();
    app.silent = true; // the /boom scenario's error is expected: keep it off stderr
    const education = new Router({ prefix: "/api/education" });
    education.get("/modules/:slug", (ctx) => {
      ctx.body = moduleWork(ctx.state.perf, clock, ctx.params.slug ?? "");
    });
    education.post("/progress", (ctx) => {
      clock.advance(1);
      ctx.status = 201;
      ctx.body = { success: true };
    });
    const root = new Router();
    root.get("/boom", () => {
      throw new Error("boom");
    });
    root.get("/stream", (ctx) => {
      ctx.respond = false;
      ctx.res.statusCode = 200;
      ctx.res.write("a");
      clock.advance(10);
      ctx.res.end("b");
    });
    app.use(middleware(options)).use(education.routes()).use(root.routes());
    const server = app.callback();
    return {
      async request(method, path) {
        const response = await request(server)[method.toLowerCase() as "get"](path);
        return { status: response.status, headers: plainHeaders(response.headers), body: response.text };
      },
      close: async () => undefined,
    };
  },
};

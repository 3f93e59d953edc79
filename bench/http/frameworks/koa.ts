/** Bare Koa 3 (a one-route dispatch in plain middleware: Koa ships no router). */
import { createServer } from "node:http";
import Koa from "koa";
import { BODY, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "koa",
  group: "frameworks",
  framework: "koa",
  baseline: "node:http",
  start: (port) => {
    const app = new Koa();
    app.use((ctx) => {
      if (ctx.method === "GET" && ctx.path === "/") ctx.body = BODY;
    });
    return listen(createServer(app.callback()), port);
  },
};

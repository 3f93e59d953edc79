import { Readable } from "node:stream";
import Koa, { type Context } from "koa";
import { cacheMiddleware } from "../../src/adapters/koa.js";
import { closeServer, listen, nodeBody, superSend } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

const header = (ctx: Context, name: string): string | undefined => ctx.get(name) || undefined;

export const koaFramework: Framework = {
  name: "Koa",
  async start(optionsFor, backend) {
    const app = new Koa();
    app.silent = true;
    let requests = 0;
    app.use(async (ctx, next) => {
      ctx.set("x-request-id", `r${++requests}`);
      const user = header(ctx, "x-user");
      if (user !== undefined) ctx.state.user = { id: user };
      await next();
    });
    app.use(cacheMiddleware(optionsFor<Context>(header)));
    app.use(async (ctx) => {
      const out = await backend.handle({
        method: ctx.method,
        path: ctx.path,
        header: (name) => header(ctx, name),
        user: (ctx.state.user as { id: string } | undefined)?.id,
      });
      if (out.throws) throw new Error("handler failed");
      ctx.status = out.status;
      for (const [name, value] of Object.entries(out.headers)) ctx.set(name, value as string | string[]);
      if (out.json !== undefined) ctx.body = out.json;
      else {
        const body = nodeBody(out);
        ctx.body = body instanceof Readable ? body : (body ?? null);
      }
    });
    const server = await listen(app.callback());
    return { send: (req) => superSend(server, req), close: () => closeServer(server) };
  },
};

runScenarios(koaFramework);

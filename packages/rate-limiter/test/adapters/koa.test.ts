import Koa, { type Context } from "koa";
import { rateLimitMiddleware } from "../../src/adapters/koa.js";
import { callbacks, supertestApp } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

const framework: Framework = {
  name: "koa",
  async start(options) {
    const app = new Koa();
    app.silent = true; // the keyGenerator scenario throws on purpose
    app.use(async (ctx, next) => {
      const user = ctx.get("x-user");
      if (user !== "") ctx.state.user = { id: user };
      await next();
    });
    const limit = rateLimitMiddleware({
      ...callbacks<Context>(
        options,
        (ctx, name) => ctx.get(name) || undefined,
        (ctx) => ctx.path,
      ),
      ...(options.customHandler
        ? {
            handler: (ctx: Context) => {
              ctx.status = 418;
              ctx.body = "slow down";
            },
          }
        : {}),
    });
    app.use(limit);
    app.use((ctx) => {
      if (ctx.path === "/fail") {
        ctx.status = 500;
        ctx.body = { ok: false };
      } else {
        ctx.body = { ok: true };
      }
    });
    const server = app.callback();
    return supertestApp(server, limit.limiter);
  },
};

runScenarios(framework);

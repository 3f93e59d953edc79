/** The Express app every Express variant is built on, so they differ from the baseline only by middleware. */
import express, { type Express, type RequestHandler } from "express";
import { BODY } from "./variant.js";

/**
 * An Express 5 app that runs `middleware` in order, then answers `GET /` with {@link BODY}. With no
 * middleware it is the bare Express baseline.
 */
export function expressApp(...middleware: RequestHandler[]): Express {
  const app = express();
  for (const handler of middleware) app.use(handler);
  app.get("/", (_req, res) => {
    res.json(BODY);
  });
  return app;
}

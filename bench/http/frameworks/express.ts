/** Bare Express 5: the baseline of every Express middleware variant. */
import { createServer } from "node:http";
import express from "express";
import { BODY, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "express",
  group: "frameworks",
  framework: "express",
  baseline: "node:http",
  start: (port) => {
    const app = express();
    app.get("/", (_req, res) => {
      res.json(BODY);
    });
    return listen(createServer(app), port);
  },
};

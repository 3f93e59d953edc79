/** Bare node:http: the root baseline every framework is compared with. */
import { createServer } from "node:http";
import { BODY, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "node:http",
  group: "frameworks",
  framework: "node",
  baseline: "node:http",
  start: (port) =>
    listen(
      createServer((_req, res) => {
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.end(JSON.stringify(BODY));
      }),
      port,
    ),
};

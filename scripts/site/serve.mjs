// A tiny static file server for the built docs site (docs-site/), on 127.0.0.1 only.
// As a module: `const { url, close } = await serveStatic(dir)`. As a command, to read the site locally:
//   node scripts/site/serve.mjs [port]     (then open the printed address)
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".md": "text/markdown; charset=utf-8",
};

/** Serves `dir` on 127.0.0.1 (`port` 0: any free port); every request is counted by status. */
export async function serveStatic(dir, port = 0) {
  const root = resolve(dir);
  const statuses = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(root, path));
    let status = 200;
    if (file !== root && !file.startsWith(root + sep)) status = 403;
    else {
      try {
        if (statSync(file).isDirectory()) file = join(file, "index.html");
        statSync(file);
      } catch {
        status = 404;
      }
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status !== 200) {
      res.writeHead(status, { "Content-Type": "text/plain" }).end(`${status} ${path}`);
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((ready) => server.listen(port, "127.0.0.1", ready));
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}/`,
    statuses,
    close: () => new Promise((done) => server.close(done)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = new URL("../../docs-site", import.meta.url).pathname;
  const { url } = await serveStatic(dir, Number(process.argv[2] ?? 8080));
  console.log(`Serving ${dir} at ${url} (Ctrl+C to stop)`);
}

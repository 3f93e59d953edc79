// The application every framework harness serves: the same routes, behaviours and counters, so
// one scenario table checks all five adapters. Each harness writes these neutral responses in its
// framework's own idiom (res.json / reply.send / ctx.body / c.json, its own streams).

/** A request as a route sees it. */
export interface BackendRequest {
  readonly method: string;
  readonly path: string;
  header(name: string): string | undefined;
  /** The signed-in user set by the harness's fake authentication (`x-user` header). */
  readonly user: string | undefined;
}

/** What a route answers, in framework-neutral form. */
export interface BackendResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Exactly one body form, to exercise every kind a handler may send. */
  readonly json?: unknown;
  readonly text?: string;
  readonly buffer?: Buffer;
  /** Written as a stream, chunk by chunk. */
  readonly chunks?: readonly string[];
  /** The handler throws instead of answering. */
  readonly throws?: boolean;
}

/** What the `/origin` route answers next (HTTP-mode scenarios script it step by step). */
export interface OriginScript {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** When the request's If-None-Match equals this, answer 304 with `headers`. */
  etag?: string;
}

const text = (
  status: number,
  body: string,
  headers: Record<string, string | string[]> = {},
): BackendResponse => ({
  status,
  headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  text: body,
});

/** Routes, call counters, a gate for coalescing tests and the scripted origin. */
export class Backend {
  /** Handler runs per path. */
  readonly calls = new Map<string, number>();
  /** Requests each path saw, with the conditional headers they carried. */
  readonly seen: { path: string; ifNoneMatch: string | undefined; ifModifiedSince: string | undefined }[] =
    [];
  origin: OriginScript = { status: 200, headers: {}, body: "origin" };
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  #entered: (() => void) | undefined;

  /** Holds `/slow` handlers until {@link release}; resolves when the first one has started. */
  close(): Promise<void> {
    this.#gate = new Promise((resolve) => {
      this.#open = resolve;
    });
    return new Promise((resolve) => {
      this.#entered = resolve;
    });
  }

  release(): void {
    this.#open?.();
    this.#gate = undefined;
  }

  count(path: string): number {
    return this.calls.get(path) ?? 0;
  }

  async handle(req: BackendRequest): Promise<BackendResponse> {
    const n = this.count(req.path) + 1;
    this.calls.set(req.path, n);
    this.seen.push({
      path: req.path,
      ifNoneMatch: req.header("if-none-match"),
      ifModifiedSince: req.header("if-modified-since"),
    });
    if (req.method !== "GET" && req.method !== "HEAD") {
      const location = req.header("x-location");
      return text(req.path === "/fail" ? 500 : 201, "written", location === undefined ? {} : { location });
    }
    switch (req.path) {
      case "/modules":
      case "/modules/intro":
      case "/tutorials":
        return { status: 200, headers: {}, json: { success: true, data: req.path, n } };
      case "/text":
        return text(200, `hello ${n}`);
      case "/buffer":
        return {
          status: 200,
          headers: { "content-type": "application/octet-stream" },
          buffer: Buffer.from(`bytes ${n}`),
        };
      case "/stream":
        return {
          status: 200,
          headers: { "content-type": "text/plain" },
          chunks: ["chunk-a ", "chunk-b ", `n=${n}`],
        };
      case "/big":
        return {
          status: 200,
          headers: { "content-type": "text/plain" },
          chunks: ["x".repeat(600), "y".repeat(600), `${n}`],
        };
      case "/progress":
        return { status: 200, headers: {}, json: { user: req.user ?? null, n } };
      case "/cookie":
        return text(200, `cookie ${n}`, { "set-cookie": [`sid=${n}; HttpOnly`, "theme=dark"] });
      case "/private":
        return text(200, `private ${n}`, { "cache-control": "private, max-age=60" });
      case "/no-store":
        return text(200, `no-store ${n}`, { "cache-control": "no-store" });
      case "/no-cache":
        return text(200, `no-cache ${n}`, { "cache-control": "no-cache" });
      case "/missing":
        return { status: 404, headers: {}, json: { success: false, error: "not found", n } };
      case "/error":
        return { status: 500, headers: {}, json: { success: false, n } };
      case "/throws":
        return { status: 500, headers: {}, throws: true };
      case "/flaky":
        // Succeeds on odd runs, fails on even ones.
        return n % 2 === 1 ? text(200, `flaky ${n}`) : { status: 500, headers: {}, throws: true };
      case "/vary":
        return text(200, `lang=${req.header("accept-language") ?? "none"} ${n}`, { vary: "Accept-Language" });
      case "/vary-star":
        return text(200, `star ${n}`, { vary: "*" });
      case "/host":
        return text(200, `links to ${req.header("x-forwarded-host") ?? "self"} ${n}`);
      case "/etag":
        return text(200, `tagged ${n}`, { etag: '"v1"', "last-modified": "Sun, 06 Nov 1994 08:49:37 GMT" });
      case "/slow":
      case "/slow-cookie": {
        this.#entered?.();
        this.#entered = undefined;
        await this.#gate;
        return text(200, `slow ${n}`, req.path === "/slow-cookie" ? { "set-cookie": `sid=${n}` } : {});
      }
      case "/origin": {
        const script = this.origin;
        if (script.etag !== undefined && req.header("if-none-match") === script.etag) {
          return { status: 304, headers: script.headers, text: "" };
        }
        return { status: script.status, headers: script.headers, text: script.body };
      }
      default:
        return text(404, "no such route");
    }
  }
}

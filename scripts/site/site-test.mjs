// End-to-end test of the built docs site (run `pnpm exec typedoc` first), as a reader meets it:
// docs-site/ is served on 127.0.0.1 and opened in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; every request off 127.0.0.1 is blocked). It checks that
// - the home page renders with its navigation (built by the site's script) listing packages and guides;
// - every package page renders its README and a module for every entry in its `keel.entries`;
// - the search box finds getOrSet, rateLimitMiddleware and toPrometheus, and the first result opens;
// - a crawl of every internal link (hrefs and srcs of every page, the navigation and the search index,
//   #fragments included) finds no 404 and no missing anchor;
// - no page logs an error. Screenshots go to test-output/site/.
// Usage: node scripts/site/site-test.mjs [site dir, default docs-site]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serveStatic } from "./serve.mjs";

const root = new URL("../..", import.meta.url).pathname;
const siteDir = process.argv[2] ?? join(root, "docs-site");
const outDir = join(root, "test-output", "site");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SEARCH_TERMS = ["getOrSet", "rateLimitMiddleware", "toPrometheus"];
const started = performance.now();
const failures = [];
let passed = 0;

function check(ok, what) {
  if (ok) passed += 1;
  else failures.push(what);
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
}

if (!existsSync(join(siteDir, "index.html"))) {
  console.error(`no site at ${siteDir}: build it first with pnpm exec typedoc`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(
    `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)`,
  );
  process.exit(1);
}
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

/** The packages as the site should show them: name, module page, and the entry modules it must list. */
const packages = readdirSync(join(root, "packages"))
  .sort()
  .map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
    const entries = Object.values(pkg.keel?.entries ?? { ".": "index" });
    return { name: pkg.name, page: `modules/${pkg.name.replace(/[@/]/g, "_")}.html`, entries };
  });

/** The compressed data the site's scripts carry (`window.navigationData = "<base64 deflate>"`). */
function siteData(file) {
  const text = readFileSync(join(siteDir, "assets", file), "utf8");
  const encoded = /"([A-Za-z0-9+/=]+)"/.exec(text)?.[1];
  if (encoded === undefined) throw new Error(`no data in assets/${file}`);
  return JSON.parse(inflateSync(Buffer.from(encoded, "base64")).toString("utf8"));
}

const server = await serveStatic(siteDir);
const base = server.url;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const blocked = new Set();
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:")) return route.continue();
    blocked.add(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  const open = async (path) => {
    const response = await page.goto(new URL(path, base).href, { waitUntil: "load" });
    return response?.status() ?? 0;
  };

  console.log("home page");
  check((await open("index.html")) === 200, "index.html answers 200");
  check((await page.title()).includes("Keel"), `the title names Keel ("${await page.title()}")`);
  await page.waitForSelector(".site-menu .tsd-navigation a", { timeout: 15_000 });
  const nav = await page.$$eval(".site-menu .tsd-navigation a", (links) =>
    links.map((a) => ({ text: a.textContent?.trim(), href: a.getAttribute("href") ?? "" })),
  );
  for (const pkg of packages) {
    check(
      nav.some((link) => link.href.endsWith(pkg.page)),
      `the navigation links ${pkg.name}`,
    );
  }
  check(
    nav.some((link) => link.text === "Getting started"),
    "the navigation lists the guides (Getting started)",
  );
  await page.screenshot({ path: join(outDir, "home.png") });

  console.log("package pages");
  for (const pkg of packages) {
    check((await open(pkg.page)) === 200, `${pkg.page} answers 200`);
    const h1 = (await page.textContent("h1"))?.trim() ?? "";
    check(h1.includes(pkg.name), `${pkg.name}: its page's heading names it ("${h1}")`);
    const readme = (await page.textContent(".tsd-panel.tsd-typography"))?.trim() ?? "";
    check(readme.length > 100, `${pkg.name}: its README renders (${readme.length} characters)`);
    if (pkg.entries.length > 1) {
      const modules = await page.$$eval(".col-content a", (links) => links.map((a) => a.textContent?.trim()));
      // typedoc names an entry's module by its path, without a trailing /index (testing/index: testing).
      const missing = pkg.entries.map((e) => e.replace(/\/index$/, "")).filter((e) => !modules.includes(e));
      check(
        missing.length === 0,
        `${pkg.name}: a module for every entry point${missing.length ? `, missing ${missing.join(", ")}` : ""}`,
      );
    }
    if (pkg.name === "@keel/rate-limiter")
      await page.screenshot({ path: join(outDir, "package-rate-limiter.png") });
  }

  console.log("a guide");
  check((await open("documents/Getting_started.html")) === 200, "the Getting started guide answers 200");
  const blocks = await page.$$eval("pre code", (codes) => codes.map((c) => c.textContent ?? ""));
  check(
    blocks.filter((code) => code.includes("@keel/")).length >= 5,
    `it shows the five framework examples from docs/examples (${blocks.length} code blocks)`,
  );
  await page.screenshot({ path: join(outDir, "guide-getting-started.png"), fullPage: false });

  console.log("search");
  for (const term of SEARCH_TERMS) {
    await open("index.html");
    await page.click("#tsd-search-trigger");
    await page.fill("#tsd-search-input", term);
    const result = page.locator("#tsd-search-results li a", { hasText: term }).first();
    const found = await result
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    check(found, `the search box finds ${term}`);
    if (!found) continue;
    if (term === "getOrSet") await page.screenshot({ path: join(outDir, "search-getOrSet.png") });
    await Promise.all([page.waitForNavigation(), result.click()]);
    const landed = (await page.textContent(".col-content")) ?? "";
    check(
      landed.includes(term),
      `its first result opens a page about ${term} (${new URL(page.url()).pathname})`,
    );
  }
  check(
    errors.length === 0,
    `no page error or console error${errors.length ? `:\n    ${errors.join("\n    ")}` : ""}`,
  );
  check(blocked.size === 0, `no request left 127.0.0.1${blocked.size ? `: ${[...blocked].join(", ")}` : ""}`);
  await context.close();

  console.log("link crawl");
  const seeds = ["index.html", "modules.html", "hierarchy.html"];
  for (const item of siteData("navigation.js").flatMap(function flat(n) {
    return [n, ...(n.children ?? []).flatMap(flat)];
  }))
    if (item.path) seeds.push(item.path);
  for (const row of siteData("search.js").rows) seeds.push(row.url);
  const pages = new Map(); // path -> html (or "" for non-HTML), fetched once
  const anchors = []; // [from, path, fragment]
  const missing = [];
  const queue = seeds.map((path) => [path, "(navigation or search index)"]);
  while (queue.length > 0) {
    const [rawPath, from] = queue.shift();
    const url = new URL(rawPath, base);
    const path = url.pathname;
    if (url.hash) anchors.push([from, path, decodeURIComponent(url.hash.slice(1))]);
    if (pages.has(path)) continue;
    const response = await fetch(new URL(path, base));
    if (response.status !== 200) {
      missing.push(`${path} (${response.status}, linked from ${from})`);
      pages.set(path, "");
      continue;
    }
    const isHtml = (response.headers.get("content-type") ?? "").startsWith("text/html");
    const html = isHtml ? await response.text() : "";
    if (!isHtml) await response.arrayBuffer();
    pages.set(path, html);
    for (const match of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      const target = match[1].replaceAll("&amp;", "&");
      if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(target)) continue; // another site, mailto:, data:
      const resolved = new URL(target, new URL(path, base));
      queue.push([resolved.pathname + resolved.hash, path]);
    }
  }
  const badAnchors = anchors.filter(([, path, id]) => {
    const html = pages.get(path);
    return html && !html.includes(`id="${id}"`) && !html.includes(`name="${id}"`);
  });
  const htmlPages = [...pages.values()].filter((html) => html !== "").length;
  check(
    missing.length === 0,
    `every internal link answers 200: ${pages.size} files, ${htmlPages} pages${missing.length ? `; missing:\n    ${missing.join("\n    ")}` : ""}`,
  );
  check(
    badAnchors.length === 0,
    `every #fragment exists on its page (${anchors.length} checked)${
      badAnchors.length
        ? `; missing:\n    ${badAnchors
            .slice(0, 20)
            .map(([from, p, id]) => `${p}#${id} (from ${from})`)
            .join("\n    ")}`
        : ""
    }`,
  );
} finally {
  await browser.close();
  await server.close();
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\nscreenshots in ${outDir.replace(root, "")}: ${readdirSync(outDir).join(", ")}`);
if (failures.length > 0) console.error(`\nsite test failed:\n  ${failures.join("\n  ")}`);
console.log(`site test: ${passed} passed, ${failures.length} failed (${seconds} s)`);
process.exit(failures.length > 0 ? 1 : 0);

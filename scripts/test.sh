#!/usr/bin/env bash
# The whole gate: `pnpm test` runs this. Each step prints a banner so a failure is easy to place.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }

step "lint and format (biome)"
pnpm exec biome ci .

step "typecheck (packages, example, bench)"
pnpm exec tsc -p tsconfig.json
pnpm exec tsc -p reliability/tsconfig.json
pnpm -r --workspace-concurrency=2 run typecheck

step "unit and integration tests with coverage (vitest)"
mkdir -p .tmp
pnpm exec vitest run --coverage --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json

step "gate guard (coverage thresholds and test counts may not drop)"
pnpm exec tsx scripts/gate-guard.ts .tmp/vitest.json

step "build every package (tsup)"
pnpm run build

step "package lint (publint, arethetypeswrong)"
pnpm -r --filter "./packages/*" --workspace-concurrency=2 run lint:package

step "size budgets (esbuild, minified + gzipped per entry; no framework or Redis client where none is needed)"
node scripts/size-check.mjs

step "publish dry-run (each tarball holds only dist/**, README.md, LICENSE, package.json)"
node scripts/publish-check.mjs

step "release rehearsal (changeset version in a throwaway copy: versions, CHANGELOGs, manifests)"
node scripts/changeset-check.mjs

step "consumer install (packed tarballs with npm and pnpm, ESM, CJS, TypeScript node16 and bundler)"
node scripts/consumer-check.mjs

step "guide examples (docs/examples: type-checked, then run against the sources on 127.0.0.1)"
node scripts/guide-examples.mjs

step "docs site (typedoc, warnings are errors)"
pnpm exec typedoc
node scripts/doc-examples-check.mjs

step "docs site in headless Chromium (pages render, search finds getOrSet, rateLimitMiddleware, toPrometheus; no 404)"
node scripts/site/site-test.mjs

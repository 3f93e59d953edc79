/** `pnpm run bench [names...] [--quick] [--rounds N] ...`; see `--help` and bench/README.md. */
import { main } from "./main.js";

main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  log: (line) => console.error(line),
})
  .then((outcome) => {
    if (outcome.failed > 0) process.exitCode = 1;
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });

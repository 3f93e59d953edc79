/**
 * Which entries a run measures. `pnpm run bench cache rate` runs everything whose kind, group, suite,
 * framework or name contains "cache" or "rate" (case-insensitive); no names means everything. The
 * baselines the selected entries compare against come along, and every baseline gets an A/A control.
 */
import { controlOf, type HttpEntry } from "./http/entry.js";
import type { Service } from "./http/variant.js";
import type { MeasureSelection } from "./measure/runner.js";
import type { MeasureSuite } from "./measure/suite.js";
import type { MicroSelection } from "./micro/runner.js";
import type { MicroSuite } from "./micro/suite.js";

/** True when no filters are given, or one of them is contained in one of the labels. */
export function matches(filters: readonly string[], labels: readonly string[]): boolean {
  if (filters.length === 0) return true;
  const lowered = labels.map((label) => label.toLowerCase());
  return filters.some((filter) => lowered.some((label) => label.includes(filter.toLowerCase())));
}

/** An HTTP entry in a run, and whether it is there only to be compared against. */
export interface SelectedHttpEntry extends HttpEntry {
  /** True when it was not matched itself but came along as a baseline or A/A control. */
  added: boolean;
}

/**
 * The matched HTTP entries, plus their baselines (transitively), plus an A/A control of every
 * baseline. Throws when a variant names a baseline no file defines.
 */
export function selectHttp(all: readonly HttpEntry[], filters: readonly string[]): SelectedHttpEntry[] {
  const byName = new Map(all.map((entry) => [entry.name, entry]));
  const chosen = new Map<string, SelectedHttpEntry>();
  const add = (entry: HttpEntry, added: boolean) => {
    if (chosen.has(entry.name)) return;
    chosen.set(entry.name, { ...entry, added });
    const base = byName.get(entry.baseline);
    if (!base)
      throw new Error(
        `HTTP variant "${entry.name}" names baseline "${entry.baseline}", which no variant defines`,
      );
    add(base, true);
  };
  for (const entry of all) {
    if (matches(filters, ["http", entry.group, entry.framework, entry.name])) add(entry, false);
  }
  const baselines = new Set([...chosen.values()].map((entry) => entry.baseline));
  const controls = [...chosen.values()]
    .filter((entry) => baselines.has(entry.name))
    .map((entry) => ({ ...controlOf(entry), added: true }));
  // Baselines first, the root one (its own baseline) before those compared with it, each followed by
  // its control, so tables read from the reference down.
  const depth = (entry: HttpEntry): number => {
    let hops = 0;
    for (let at = entry; at.baseline !== at.name; at = byName.get(at.baseline)!) {
      if (++hops > all.length) throw new Error(`HTTP variant "${entry.name}" is in a cycle of baselines`);
    }
    return hops;
  };
  const ordered: SelectedHttpEntry[] = [];
  const bases = [...chosen.values()].filter((entry) => baselines.has(entry.name));
  for (const entry of bases.sort((a, b) => depth(a) - depth(b))) {
    ordered.push(entry, ...controls.filter((control) => control.baseline === entry.name));
  }
  return [...ordered, ...[...chosen.values()].filter((entry) => !baselines.has(entry.name))];
}

/** The rows of each printed HTTP table: per matched group, its entries after the baselines they use. */
export function httpTables(
  selected: readonly SelectedHttpEntry[],
): { group: string; entries: SelectedHttpEntry[] }[] {
  const groups = [...new Set(selected.filter((entry) => !entry.added).map((entry) => entry.group))];
  return groups.map((group) => {
    const own = selected.filter((entry) => entry.group === group && !entry.control);
    const needed = new Set(own.map((entry) => entry.baseline));
    const rows = selected.filter(
      (entry) =>
        (entry.group === group && !entry.control) ||
        needed.has(entry.name) ||
        (entry.control && needed.has(entry.baseline)),
    );
    return { group, entries: rows };
  });
}

/** Why an entry that needs `requires` cannot run, or undefined when it can. */
export function blockedBy(
  requires: readonly Service[] | undefined,
  down: ReadonlySet<Service>,
): string | undefined {
  const missing = (requires ?? []).filter((service) => down.has(service));
  return missing.length > 0 ? `skipped: ${missing.join(", ")} not available` : undefined;
}

/** What selectSuites needs of a micro or measure suite. */
interface SelectableSuite {
  name: string;
  group: string;
  baseline?: string | undefined;
  cases: readonly {
    name: string;
    unavailable?: string | undefined;
    requires?: readonly Service[] | undefined;
  }[];
}

/**
 * The suites of one kind to run and, in each, the cases matched (by kind, suite, group or case name)
 * plus the baseline when the suite has one. Cases that cannot run here are listed as skipped.
 */
function selectSuites<S extends SelectableSuite>(
  kind: "micro" | "measure",
  suites: readonly { file: string; suite: S }[],
  filters: readonly string[],
  down: ReadonlySet<Service>,
): { file: string; suite: S; cases: string[]; skipped: { name: string; reason: string }[] }[] {
  const selections: {
    file: string;
    suite: S;
    cases: string[];
    skipped: { name: string; reason: string }[];
  }[] = [];
  for (const { file, suite } of suites) {
    const whole = matches(filters, [kind, suite.name, suite.group]);
    const picked = suite.cases.filter(
      (c) => whole || c.name === suite.baseline || matches(filters, [c.name]),
    );
    if (picked.length === 0 || picked.every((c) => c.name === suite.baseline)) continue;
    const skipped = picked.flatMap((c) => {
      const reason = c.unavailable ? `not run: ${c.unavailable}` : blockedBy(c.requires, down);
      return reason ? [{ name: c.name, reason }] : [];
    });
    const runnable = picked.filter((c) => !skipped.some((s) => s.name === c.name)).map((c) => c.name);
    selections.push({ file, suite, cases: runnable, skipped });
  }
  return selections;
}

/** The micro suites to run (see {@link selectSuites}); the baseline always runs beside a picked case. */
export function selectMicro(
  suites: readonly { file: string; suite: MicroSuite }[],
  filters: readonly string[],
  down: ReadonlySet<Service>,
): MicroSelection[] {
  return selectSuites("micro", suites, filters, down);
}

/** The measure suites to run (see {@link selectSuites}). */
export function selectMeasure(
  suites: readonly { file: string; suite: MeasureSuite }[],
  filters: readonly string[],
  down: ReadonlySet<Service>,
): MeasureSelection[] {
  return selectSuites("measure", suites, filters, down);
}

/**
 * The self-test's JSON summary (reports/selftest/defects.json) and its closing table. The summary
 * is what the traceability report reads to link each requirement to the planted defects whose
 * failures prove that requirement's checks bite.
 */
import type { Catch } from './judge.js';

/** Format tag of defects.json. */
export const SELFTEST_FORMAT = 'syncproof-selftest';
export const SELFTEST_FORMAT_VERSION = 1;

/** Verdict on one defect. */
export interface DefectVerdict {
  readonly name: string;
  readonly violates: readonly string[];
  readonly description: string;
  readonly site: string;
  /** What ran: linked check ids, checker names, probe ids. */
  readonly ran: { readonly checks: readonly string[]; readonly checkers: readonly string[]; readonly probes: readonly string[] };
  readonly caught: boolean;
  readonly caughtBy: readonly Catch[];
  /**
   * Seeds needed: `suite` = suite runs until caught (1: one seeded run), `swarm` = 1-based index of
   * the first failing scenario; absent when that part did not catch it (or did not run).
   */
  readonly seeds: { readonly suite?: number; readonly swarm?: number };
  /** One line per part that ran without catching it (why it passed / was unknown). */
  readonly notes: readonly string[];
}

/** The clean baseline. */
export interface CleanVerdict {
  readonly clean: boolean;
  readonly suite: { readonly exitCode: number; readonly pass: number; readonly fail: number; readonly unknown: number; readonly skipped: number };
  /** MUST requirements with a conformance check: verified (a check passed, none failed) or not. */
  readonly musts: { readonly verified: readonly string[]; readonly notVerified: readonly { readonly id: string; readonly why: string }[] };
  readonly swarm: { readonly runs: number; readonly mutations: number; readonly failed: boolean; readonly unknownRuns: number };
  readonly probes: readonly { readonly id: string; readonly verdict: string; readonly message: string }[];
  readonly problems: readonly string[];
}

/** defects.json. */
export interface SelftestSummary {
  readonly format: typeof SELFTEST_FORMAT;
  readonly formatVersion: typeof SELFTEST_FORMAT_VERSION;
  readonly generatedAt: string;
  readonly seed: number;
  readonly swarm: { readonly seed: number; readonly runs: number };
  readonly wallSeconds: number;
  readonly clean: CleanVerdict;
  readonly defects: readonly DefectVerdict[];
  /** Requirement id → names of the defects a failure naming that requirement caught. */
  readonly requirements: Readonly<Record<string, readonly string[]>>;
  readonly caught: number;
  readonly total: number;
}

/** Requirement → defects proven caught through it. */
export function requirementLinks(defects: readonly DefectVerdict[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of defects) {
    for (const c of d.caughtBy) {
      const list = (out[c.requirement] ??= []);
      if (!list.includes(d.name)) list.push(d.name);
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function seedsText(d: DefectVerdict): string {
  const parts: string[] = [];
  if (d.seeds.suite !== undefined) parts.push(`suite ${d.seeds.suite}`);
  if (d.seeds.swarm !== undefined) parts.push(`swarm ${d.seeds.swarm}`);
  if (d.caughtBy.some((c) => c.kind === 'probe')) parts.push('probe 1');
  return parts.length > 0 ? parts.join(' · ') : '-';
}

function byText(d: DefectVerdict): string {
  if (!d.caught) return `NOT CAUGHT (${d.notes.join('; ') || 'nothing linked ran'})`;
  const ids = new Map<string, string>();
  for (const c of d.caughtBy) if (!ids.has(c.id)) ids.set(c.id, c.requirement);
  return [...ids].map(([id, req]) => `${id} [${req}]`).join(', ');
}

/** The closing table (one row per defect) and the last line `caught K/N defects`. */
export function summaryTable(s: SelftestSummary): string {
  const nameW = Math.max(6, ...s.defects.map((d) => d.name.length));
  const seedW = Math.max(5, ...s.defects.map((d) => seedsText(d).length));
  const lines = [`${'defect'.padEnd(nameW)}  ${'site'.padEnd(9)}  ${'seeds'.padEnd(seedW)}  caught by`];
  for (const d of s.defects) lines.push(`${d.name.padEnd(nameW)}  ${d.site.padEnd(9)}  ${seedsText(d).padEnd(seedW)}  ${byText(d)}`);
  return lines.join('\n');
}

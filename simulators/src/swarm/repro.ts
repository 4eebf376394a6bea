/**
 * Repro files: everything `syncproof replay` needs to rebuild a failing run exactly — the seed,
 * the options it was started with, the (shrunk) scenario, the tool version, and the verdicts and
 * history hash the run produced.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario/scenario.js';
import { validateScenario } from '../scenario/scenario.js';
import { TOOL_VERSION } from '../run/tool-version.js';

/** Format tag of repro files. */
export const REPRO_FORMAT = 'syncproof-sim-repro/1';

/** A repro file. */
export interface Repro {
  readonly format: typeof REPRO_FORMAT;
  readonly tool: string;
  readonly seed: number;
  /** The command-line options of the original run. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The scenario to replay (shrunk when shrinking succeeded). */
  readonly scenario: Scenario;
  /** Checkers that failed on this scenario. */
  readonly failing: readonly string[];
  /** SHA-256 of the history this scenario produced. */
  readonly historyHash: string;
  readonly target: string;
}

/** A repro file that cannot be used. */
export class ReproError extends Error {
  override name = 'ReproError';
}

/** Builds a repro record. */
export function makeRepro(args: Omit<Repro, 'format' | 'tool'>): Repro {
  return { format: REPRO_FORMAT, tool: `syncproof ${TOOL_VERSION}`, ...args };
}

/** Writes `repro.json` into `dir` (created if needed) and returns its path. */
export function writeRepro(dir: string, repro: Repro): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'repro.json');
  writeFileSync(path, JSON.stringify(repro, null, 2) + '\n', 'utf8');
  return path;
}

/** Reads and validates a repro file. */
export function readRepro(path: string): Repro {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ReproError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ReproError(`${path} is not JSON`);
  }
  const o = data as Partial<Repro> | null;
  if (typeof o !== 'object' || o === null || o.format !== REPRO_FORMAT) {
    throw new ReproError(`${path} is not a syncproof repro file (format must be '${REPRO_FORMAT}')`);
  }
  const errors = validateScenario(o.scenario);
  if (errors.length > 0) throw new ReproError(`${path}: ${errors.join('; ')}`);
  if (typeof o.historyHash !== 'string' || !Array.isArray(o.failing)) throw new ReproError(`${path}: missing historyHash or failing`);
  return o as Repro;
}

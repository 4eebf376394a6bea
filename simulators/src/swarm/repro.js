/**
 * Repro files: everything `syncproof replay` needs to rebuild a failing run exactly — the seed,
 * the options it was started with, the (shrunk) scenario, the tool version, and the verdicts and
 * history hash the run produced.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateScenario } from '../scenario/scenario.js';
import { TOOL_VERSION } from '../run/tool-version.js';
/** Format tag of repro files. */
export const REPRO_FORMAT = 'syncproof-sim-repro/1';
/** A repro file that cannot be used. */
export class ReproError extends Error {
    name = 'ReproError';
}
/** Builds a repro record. */
export function makeRepro(args) {
    return { format: REPRO_FORMAT, tool: `syncproof ${TOOL_VERSION}`, ...args };
}
/** Writes `repro.json` into `dir` (created if needed) and returns its path. */
export function writeRepro(dir, repro) {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'repro.json');
    writeFileSync(path, JSON.stringify(repro, null, 2) + '\n', 'utf8');
    return path;
}
/** Reads and validates a repro file. */
export function readRepro(path) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (err) {
        throw new ReproError(`cannot read ${path}: ${err.code ?? String(err)}`);
    }
    let data;
    try {
        data = JSON.parse(text);
    }
    catch {
        throw new ReproError(`${path} is not JSON`);
    }
    const o = data;
    if (typeof o !== 'object' || o === null || o.format !== REPRO_FORMAT) {
        throw new ReproError(`${path} is not a syncproof repro file (format must be '${REPRO_FORMAT}')`);
    }
    const errors = validateScenario(o.scenario);
    if (errors.length > 0)
        throw new ReproError(`${path}: ${errors.join('; ')}`);
    if (typeof o.historyHash !== 'string' || !Array.isArray(o.failing))
        throw new ReproError(`${path}: missing historyHash or failing`);
    return o;
}

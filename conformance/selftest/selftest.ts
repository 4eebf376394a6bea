/**
 * `npm run selftest` — proves the suite bites (issue 7, DESIGN lesson 13). Runs the conformance
 * suite (embedded reference, with the Prism contract proxy), a bounded swarm and the probes against
 * the clean reference server — which must pass — then, for every planted defect of
 * reference-impl/src/defects/catalogue.ts, only the checks, checkers and probes linked to the
 * requirements the defect declares. A defect is caught when one of them fails with evidence naming
 * one of those requirements. Prints a table and `caught K/N defects`; writes
 * reports/selftest/defects.json. Exit 0 only when every defect is caught and the clean run is clean.
 *
 *   npm run selftest -- [--seed <n>] [--swarm-seed <n>] [--swarm-runs <n>] [--jobs <n>] [--out <dir>] [--defect <name>]...
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFECTS, defectNames } from '../../reference-impl/src/defects/catalogue.js';
import { loadMatrix } from '../../traceability/src/matrix/parse-matrix.js';
import type { TestResult } from '../../traceability/src/results/results-format.js';
import { CHECKS } from '../src/registry.js';
import { natsEnvironment, resolveNats } from '../src/run/nats-service.js';
import { exitCodeFor } from '../src/run/run-results.js';
import { CHILD_TIMEOUT_MS, pool, runProbeChild, runSuiteChild, type ProbeOutcome, type SuiteOutcome } from './child-jobs.js';
import { probeCatch, suiteCatches, swarmCatches, type Catch } from './judge.js';
import { PROBES } from './probes.js';
import { planDefect, type DefectPlan } from './selftest-plan.js';
import { requirementLinks, SELFTEST_FORMAT, SELFTEST_FORMAT_VERSION, summaryTable, type CleanVerdict, type DefectVerdict, type SelftestSummary } from './selftest-summary.js';
import { swarmProbe, type SwarmProbeOutcome } from './swarm-probe.js';

interface Options {
  readonly seed: number;
  readonly swarmSeed: number;
  readonly swarmRuns: number;
  readonly jobs: number;
  readonly out: string;
  readonly defects: readonly string[];
}

function usage(message: string): never {
  process.stderr.write(`selftest: ${message}\nusage: npm run selftest -- [--seed <n>] [--swarm-seed <n>] [--swarm-runs <n>] [--jobs <n>] [--out <dir>] [--defect <name>]...\n`);
  process.exit(2);
}

function intOption(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) usage(`--${name} must be an integer in ${min}..${max}, got '${raw}'`);
  return Number(raw);
}

function parseOptions(args: string[]): Options {
  let v;
  try {
    v = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        seed: { type: 'string' },
        'swarm-seed': { type: 'string' },
        'swarm-runs': { type: 'string' },
        jobs: { type: 'string' },
        out: { type: 'string' },
        defect: { type: 'string', multiple: true },
      },
    }).values;
  } catch (err) {
    usage((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  let defects: readonly string[];
  try {
    defects = v.defect ? [...defectNames(v.defect)] : DEFECTS.map((d) => d.name);
  } catch (err) {
    usage((err as Error).message);
  }
  return {
    seed: intOption(v.seed, 'seed', 1, 1, 2 ** 31 - 1),
    swarmSeed: intOption(v['swarm-seed'], 'swarm-seed', 42, -(2 ** 31), 2 ** 31 - 1),
    swarmRuns: intOption(v['swarm-runs'], 'swarm-runs', 25, 1, 10_000),
    jobs: intOption(v.jobs, 'jobs', 2, 1, 16),
    out: v.out ?? join('reports', 'selftest'),
    defects,
  };
}

const log = (line = '') => process.stdout.write(`${line}\n`);

function counts(results: readonly TestResult[]) {
  const n = (verdict: string) => results.filter((r) => r.verdict === verdict).length;
  return { pass: n('pass'), fail: n('fail'), unknown: n('unknown'), skipped: n('skipped') };
}

/** MUST requirements with a conformance check, verified or not by the clean run. */
function mustCoverage(results: readonly TestResult[]): CleanVerdict['musts'] {
  const musts = loadMatrix().filter((r) => r.level === 'MUST').map((r) => r.id);
  const verified: string[] = [];
  const notVerified: { id: string; why: string }[] = [];
  for (const id of musts) {
    const checks = CHECKS.filter((c) => c.verifies.includes(id)).map((c) => c.id);
    if (checks.length === 0) continue;
    const mine = results.filter((r) => checks.includes(r.id));
    const bad = mine.filter((r) => r.verdict === 'fail' || r.verdict === 'unknown');
    if (bad.length > 0) notVerified.push({ id, why: bad.map((r) => `${r.id} ${r.verdict}`).join(', ') });
    else if (!mine.some((r) => r.verdict === 'pass')) notVerified.push({ id, why: `only skipped: ${mine.map((r) => r.id).join(', ') || 'no result'}` });
    else verified.push(id);
  }
  return { verified, notVerified };
}

/**
 * Renders the clean run's traceability report with the defect links (traceability.md/.html beside
 * its results.json). A failure here is reported, never changes the verdict.
 */
async function renderCleanReport(cleanDir: string, defectsJson: string): Promise<string> {
  try {
    const { run } = await import('../../traceability/cli/report-command.js');
    const lines: string[] = [];
    const code = await run([cleanDir, '--defects', defectsJson], { out: (l) => lines.push(l), now: () => new Date(), env: process.env });
    return code === 0 ? `clean report with defect links: ${join(cleanDir, 'traceability.md')}` : `report step exited ${code}: ${lines.join(' ')}`;
  } catch (err) {
    return `report step failed: ${(err as Error).message.split('\n')[0]}`;
  }
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  const nats = await resolveNats(process.env);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...natsEnvironment(nats) };
  delete env['SYNCPROOF_SELFTEST_DEFECTS'];
  const plans: DefectPlan[] = o.defects.map((n) => planDefect(DEFECTS.find((d) => d.name === n)!));
  log(`selftest: ${plans.length} planted defect(s) · suite seed ${o.seed} · swarm seed ${o.swarmSeed}, ≤ ${o.swarmRuns} scenarios · ${o.jobs} job(s) · NATS ${nats.url ?? `unavailable (${'unavailable' in nats ? nats.unavailable : ''})`}`);

  try {
    // Child jobs (suite runs, probes): the clean suite first — it is the longest.
    const cleanSuite = { result: undefined as SuiteOutcome | undefined };
    const cleanProbes = new Map<string, ProbeOutcome>();
    const defectSuite = new Map<string, SuiteOutcome>();
    const defectProbes = new Map<string, Map<string, ProbeOutcome>>();
    const tasks: (() => Promise<void>)[] = [
      async () => {
        cleanSuite.result = await runSuiteChild({ dir: join(out, 'clean'), seed: o.seed, prism: true, env });
        log(`  clean suite: exit ${cleanSuite.result.exitCode} (${(cleanSuite.result.wallMs / 1000).toFixed(1)} s)`);
      },
      ...PROBES.map((p) => async () => {
        const r = await runProbeChild(p.file, join(out, 'clean', 'probes', p.id), { ...env, ...p.env });
        cleanProbes.set(p.id, r);
        log(`  clean probe ${p.id}: ${r.verdict} (${(r.wallMs / 1000).toFixed(1)} s)`);
      }),
    ];
    for (const plan of plans) {
      const name = plan.defect.name;
      if (plan.checks.length > 0) {
        tasks.push(async () => {
          const r = await runSuiteChild({ dir: join(out, 'defects', name), seed: o.seed, only: plan.checks, defect: name, prism: false, env });
          defectSuite.set(name, r);
          log(`  ${name}: suite ${plan.checks.length} check(s) → ${counts(r.results).fail} fail (${(r.wallMs / 1000).toFixed(1)} s)`);
        });
      }
      for (const id of plan.probes) {
        const probe = PROBES.find((p) => p.id === id)!;
        tasks.push(async () => {
          const r = await runProbeChild(probe.file, join(out, 'defects', name, 'probes', id), { ...env, ...probe.env, SYNCPROOF_SELFTEST_DEFECTS: name });
          (defectProbes.get(name) ?? defectProbes.set(name, new Map()).get(name)!).set(id, r);
          log(`  ${name}: probe ${id} → ${r.verdict} (${(r.wallMs / 1000).toFixed(1)} s)`);
        });
      }
    }
    // Swarms run in this process while the children run.
    const swarms = new Map<string, SwarmProbeOutcome>();
    const swarmChain = (async () => {
      const clean = await swarmProbe({ seed: o.swarmSeed, runs: o.swarmRuns, defect: null });
      swarms.set('', clean);
      log(`  clean swarm: ${clean.runs} scenarios, ${clean.mutations} mutations, ${clean.failedAt ? `FAILED at ${clean.failedAt}` : 'pass'} (${(clean.wallMs / 1000).toFixed(1)} s)`);
      for (const plan of plans) {
        if (plan.checkers.length === 0) continue;
        const r = await swarmProbe({ seed: o.swarmSeed, runs: o.swarmRuns, defect: plan.defect.name, checkers: plan.checkers });
        swarms.set(plan.defect.name, r);
        log(`  ${plan.defect.name}: swarm ${plan.checkers.join(',')} → ${r.failedAt ? `caught at scenario ${r.failedAt}` : `not caught in ${r.runs}`} (${(r.wallMs / 1000).toFixed(1)} s)`);
      }
    })();
    await Promise.all([pool(o.jobs, tasks), swarmChain]);

    // Clean verdict.
    const cs = cleanSuite.result!;
    const cleanSwarm = swarms.get('')!;
    const problems: string[] = [];
    // The verdict comes from the results (as `syncproof run` computes its exit code), so a run that
    // wrote its results and then hung while shutting down still counts.
    const levels = new Map(loadMatrix().map((r) => [r.id, r.level] as const));
    const cleanCode = cs.results.length === 0 ? cs.exitCode || 2 : exitCodeFor(cs.results, levels, 'must');
    if (cleanCode !== 0) problems.push(`clean suite verdict exit ${cleanCode} (see ${join(o.out, 'clean', 'run.log')})`);
    const timedOut = [...(cs.timedOut ? ['clean'] : []), ...[...defectSuite].filter(([, r]) => r.timedOut).map(([n]) => n)];
    if (timedOut.length > 0) log(`  warning: suite run(s) killed after ${CHILD_TIMEOUT_MS / 1000} s (results kept when written): ${timedOut.join(', ')}`);
    if (cs.results.some((r) => r.verdict === 'fail')) problems.push(`clean suite has failing checks: ${cs.results.filter((r) => r.verdict === 'fail').map((r) => r.id).join(', ')}`);
    if (cleanSwarm.failedAt !== undefined) problems.push(`clean swarm failed at scenario ${cleanSwarm.failedAt}: ${cleanSwarm.results.filter((r) => r.verdict === 'fail').map((r) => `${r.checker}: ${r.message}`).join('; ')}`);
    for (const [id, p] of cleanProbes) if (p.verdict !== 'pass') problems.push(`clean probe ${id}: ${p.verdict} ${p.message}`);
    const musts = mustCoverage(cs.results);
    const clean: CleanVerdict = {
      clean: problems.length === 0,
      suite: { exitCode: cleanCode, ...counts(cs.results) },
      musts,
      swarm: { runs: cleanSwarm.runs, mutations: cleanSwarm.mutations, failed: cleanSwarm.failedAt !== undefined, unknownRuns: cleanSwarm.unknownRuns },
      probes: [...cleanProbes].map(([id, p]) => ({ id, verdict: p.verdict, message: p.message })),
      problems,
    };

    // Defect verdicts.
    const verdicts: DefectVerdict[] = plans.map((plan) => {
      const d = plan.defect;
      const caughtBy: Catch[] = [];
      const notes: string[] = [];
      const seeds: { suite?: number; swarm?: number } = {};
      const suite = defectSuite.get(d.name);
      if (suite) {
        const c = suiteCatches(suite.results, d.violates);
        if (c.length > 0) seeds.suite = 1;
        else notes.push(`suite: ${JSON.stringify(counts(suite.results))}`);
        caughtBy.push(...c);
      }
      const swarm = swarms.get(d.name);
      if (swarm) {
        const c = swarm.failedAt !== undefined ? swarmCatches(swarm.results, d.violates) : [];
        if (c.length > 0) seeds.swarm = swarm.failedAt!;
        else notes.push(`swarm: passed ${swarm.runs} scenarios`);
        caughtBy.push(...c);
      }
      for (const [id, p] of defectProbes.get(d.name) ?? []) {
        const probe = PROBES.find((x) => x.id === id)!;
        const c = probeCatch(id, probe.verifies, p.verdict, p.message, d.violates);
        if (c.length === 0) notes.push(`probe ${id}: ${p.verdict}`);
        caughtBy.push(...c);
      }
      return {
        name: d.name,
        violates: d.violates,
        description: d.description,
        site: d.site,
        ran: { checks: plan.checks, checkers: plan.checkers, probes: plan.probes },
        caught: caughtBy.length > 0,
        caughtBy,
        seeds,
        notes,
      };
    });
    const caught = verdicts.filter((v) => v.caught).length;
    const summary: SelftestSummary = {
      format: SELFTEST_FORMAT,
      formatVersion: SELFTEST_FORMAT_VERSION,
      generatedAt: new Date().toISOString(),
      seed: o.seed,
      swarm: { seed: o.swarmSeed, runs: o.swarmRuns },
      wallSeconds: Math.round((Date.now() - started) / 100) / 10,
      clean,
      defects: verdicts,
      requirements: requirementLinks(verdicts),
      caught,
      total: verdicts.length,
    };
    writeFileSync(join(out, 'defects.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const report = await renderCleanReport(join(out, 'clean'), join(out, 'defects.json'));

    log('');
    log(`clean: suite ${clean.suite.pass} pass · ${clean.suite.fail} fail · ${clean.suite.unknown} unknown · ${clean.suite.skipped} skipped (exit ${clean.suite.exitCode}) · ${musts.verified.length} MUSTs with a check verified${musts.notVerified.length > 0 ? `, not verified: ${musts.notVerified.map((m) => `${m.id} (${m.why})`).join('; ')}` : ''} · swarm ${clean.swarm.runs} scenarios ${clean.swarm.failed ? 'FAILED' : 'pass'} · probes ${clean.probes.map((p) => `${p.id} ${p.verdict}`).join(', ')}`);
    for (const p of problems) log(`  NOT CLEAN: ${p}`);
    log('');
    log(summaryTable(summary));
    log('');
    log(`summary: ${join(o.out, 'defects.json')} · ${report} · wall time ${summary.wallSeconds} s`);
    log(`caught ${caught}/${verdicts.length} defects`);
    return caught === verdicts.length && clean.clean ? 0 : 1;
  } finally {
    await nats.close();
  }
}

process.exitCode = await main();

/**
 * `syncproof run`: resolve the target (a profile, or the embedded reference with NATS found per
 * DESIGN §6), put a Prism validation proxy in front of it, run the check files with vitest's Node
 * API (the resolved target reaches the workers as provided context), then write results.json in
 * the traceability format, render the reports, print the closing table and return the exit code.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve, join, relative } from 'node:path';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { loadMatrix } from '../../../traceability/src/matrix/parse-matrix.js';
import { RESULTS_FORMAT, RESULTS_FORMAT_VERSION, serializeResults, type ResultsDocument, type TargetIdentity } from '../../../traceability/src/results/results-format.js';
import { gitCommit, toolIdentity } from '../../../traceability/src/results/run-metadata.js';
import { loadProfile, newRunId } from '../profile/load-profile.js';
import type { TargetProfile } from '../profile/target-profile.js';
import { CHECKS, FAMILIES, idGlob, type Family } from '../registry.js';
import type { ProvidedTarget } from '../harness/provided-target.js';
import { embeddedNatsOptions, startEmbeddedReference } from './embedded-reference.js';
import { natsHostPort, resolveNats, tcpAnswers, type NatsService } from './nats-service.js';
import { startPrism, type PrismProxy } from './prism-proxy.js';
import { ProgressReporter, useColour } from './progress-reporter.js';
import { checkResult, contractResult, exitCodeFor, missingResults, summaryTable } from './run-results.js';
import type { RunOptions } from './run-options.js';

/** Root of the repository (vitest root for the check files). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where output goes (injectable for tests). */
export interface RunIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly colour: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** Default io: stdout/stderr, colour per TTY and NO_COLOR. */
export function defaultRunIo(): RunIo {
  return {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    colour: useColour(process.stdout),
    env: process.env,
  };
}

/** Random seed when none is given (printed so the run can be repeated). */
export function randomSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}

interface ResolvedTarget {
  readonly profile: TargetProfile;
  readonly profileDir: string;
  readonly runId: string;
  readonly identity: TargetIdentity;
  readonly natsUnavailable?: string;
  close(): Promise<void>;
}

async function resolveTarget(options: RunOptions, io: RunIo): Promise<ResolvedTarget> {
  const runId = newRunId();
  if (options.target) {
    const loaded = loadProfile(options.target, runId);
    const { profile } = loaded;
    let natsUnavailable: string | undefined;
    if (profile.nats) {
      const { host, port } = natsHostPort(profile.nats.url);
      if (!(await tcpAnswers(host, port))) natsUnavailable = `NATS unavailable: ${profile.nats.url} does not answer`;
    }
    return {
      profile,
      profileDir: loaded.dir,
      runId,
      identity: { name: profile.name ?? profile.baseUrl, kind: 'http', baseUrl: profile.baseUrl, profile: relative(process.cwd(), resolve(options.target)).split('\\').join('/') },
      ...(natsUnavailable ? { natsUnavailable } : {}),
      close: async () => undefined,
    };
  }
  const nats: NatsService = await resolveNats(io.env);
  const natsUnavailable = 'unavailable' in nats ? nats.unavailable : undefined;
  if (natsUnavailable) io.out(`nats: ${natsUnavailable} — event checks will be unknown`);
  else io.out(`nats: ${nats.url} (${'source' in nats ? nats.source : ''})`);
  const defects = options.defects;
  const embedded = await startEmbeddedReference({ listen: true, runId, ...embeddedNatsOptions(nats), ...(defects.length > 0 ? { defects } : {}) });
  const planted = defects.length > 0 ? ` with PLANTED DEFECT${defects.length > 1 ? 'S' : ''} ${defects.join(', ')}` : '';
  io.out(`target: embedded reference server at ${embedded.baseUrl} (SQLite :memory:, signing key generated for this run)${planted}`);
  return {
    profile: embedded.profile,
    profileDir: embedded.profileDir,
    runId,
    identity: { name: `reference (embedded)${planted}`, kind: 'embedded', ...(embedded.baseUrl ? { baseUrl: embedded.baseUrl } : {}) },
    ...(natsUnavailable ? { natsUnavailable } : {}),
    close: async () => {
      await embedded.close();
      await nats.close();
    },
  };
}

/** Runs the suite; resolves to the exit code. Throws UsageError for a bad profile. */
export async function runSuite(options: RunOptions, io: RunIo = defaultRunIo()): Promise<number> {
  const started = Date.now();
  const startedAt = new Date();
  const target = await resolveTarget(options, io);
  let prism: PrismProxy | undefined;
  try {
    const wantsProxy = !options.noContractProxy && target.profile.options?.validateWithPrism !== false;
    let requestBaseUrl = target.profile.baseUrl;
    let proxyReason: string | undefined = wantsProxy ? undefined : 'disabled (--no-prism or options.validateWithPrism: false)';
    if (wantsProxy) {
      prism = await startPrism('proxy', target.profile.baseUrl);
      if ('unavailable' in prism) {
        proxyReason = prism.unavailable;
        io.out(`contract: ${prism.unavailable} — contract check will be unknown`);
      } else {
        requestBaseUrl = prism.url;
        io.out(`contract: Prism validation proxy ${prism.url} → ${target.profile.baseUrl}`);
      }
    }
    const select = options.only ? idGlob(options.only) : () => true;
    const selected = CHECKS.filter((c) => select(c.id));
    if (selected.length === 0) {
      io.err(`syncproof run: --only '${options.only}' matches no check id`);
      return 2;
    }
    const totals = new Map<Family, number>();
    for (const c of selected) if (c.kind === 'test') totals.set(c.family, (totals.get(c.family) ?? 0) + 1);
    io.out(`run ${target.runId} · seed ${options.seed} · ${selected.length} check(s) against ${target.identity.name}`);

    const provided: ProvidedTarget = {
      profile: target.profile,
      profileDir: target.profileDir,
      runId: target.runId,
      requestBaseUrl,
      directBaseUrl: target.profile.baseUrl,
      seed: options.seed,
      contractProxy: prism?.url !== undefined,
      targetName: target.identity.name,
      ...(target.natsUnavailable ? { natsUnavailable: target.natsUnavailable } : {}),
      ...(options.only ? { only: options.only } : {}),
    };
    const reporter = new ProgressReporter(totals, io.out, io.colour);
    const families = [...new Set(selected.filter((c) => c.kind === 'test').map((c) => c.family))];
    const vitest = await startVitest(
      'test',
      families.map((f) => `conformance/checks/${f}/`),
      {
        config: false,
        root: REPO_ROOT,
        include: ['conformance/checks/**/*.check.ts'],
        watch: false,
        reporters: [reporter],
        passWithNoTests: true,
        testTimeout: 60_000,
        hookTimeout: 60_000,
        provide: { syncproofTarget: provided },
        env: { SYNCPROOF_SEED: String(options.seed) },
      },
    );
    await vitest.close();

    const results = reporter.cases.map((c) => checkResult(c, REPO_ROOT));
    const contract = selected.find((c) => c.kind === 'after-run');
    if (contract) results.push(contractResult(contract, reporter.cases, { active: prism?.url !== undefined, ...(proxyReason ? { reason: proxyReason } : {}) }));
    results.push(...missingResults(selected, results));

    const doc: ResultsDocument = {
      format: RESULTS_FORMAT,
      formatVersion: RESULTS_FORMAT_VERSION,
      run: {
        tool: toolIdentity(),
        producer: 'syncproof run',
        gitCommit: gitCommit(REPO_ROOT),
        seed: String(options.seed),
        target: target.identity,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
      },
      tests: results,
    };
    const outDir = resolve(options.out);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'results.json'), serializeResults(doc));

    const levels = new Map(loadMatrix().map((r) => [r.id, r.level] as const));
    const code = exitCodeFor(results, levels, options.failOn);
    io.out('');
    io.out(summaryTable(results));
    io.out('');
    io.out(`results: ${join(options.out, 'results.json')}`);
    if (!options.noReport) await renderReports(outDir, options.out, options.target, io);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const verdict = code === 0 ? 'conformant' : code === 1 ? 'NOT conformant (a required check failed)' : 'inconclusive (a required check could not decide)';
    io.out(`wall time: ${seconds} s · seed ${options.seed} · exit ${code}: ${verdict}`);
    return code;
  } finally {
    await prism?.close();
    await target.close();
  }
}

/** Calls the traceability report step when it exists; a failure there never changes the verdict. */
async function renderReports(outDir: string, reportDir: string, profilePath: string | undefined, io: RunIo): Promise<void> {
  const module = fileURLToPath(new URL('../../../traceability/cli/report-command.ts', import.meta.url));
  if (!existsSync(module)) return;
  try {
    const report = (await import('../../../traceability/cli/report-command.js')) as { run(args: string[], io?: unknown): Promise<number> };
    // A self-test summary beside the results (npm run selftest writes <out>/selftest/defects.json)
    // links each requirement to the planted defects its checks caught.
    const defects = join(outDir, 'selftest', 'defects.json');
    const args = [outDir, ...(profilePath ? ['--profile', profilePath] : []), ...(existsSync(defects) ? ['--defects', defects] : [])];
    const lines: string[] = [];
    const code = await report.run(args, { out: (l: string) => lines.push(l), now: () => new Date(), env: io.env });
    if (code === 0) io.out(`reports: ${reportDir}/ (traceability.md, traceability.html, junit.xml, ctrf.json, signed manifest)`);
    else io.err(`syncproof run: report step exited ${code}: ${lines.join(' ')}`);
  } catch (err) {
    io.err(`syncproof run: report step failed: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Families in report order (re-exported for the command's help). */
export const FAMILY_ORDER: readonly Family[] = FAMILIES;

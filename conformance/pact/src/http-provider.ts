/**
 * Verifies the offline client's HTTP pact against a running sync server. Each interaction gets a
 * tenant of its own (so the pact's fixed ids never collide, also on a shared staging server), the
 * provider states are set up through the server's own push API, and a request filter replaces the
 * pact's example bearer token with a fresh one for the interaction's tenant and actor.
 */
import { randomUUID } from 'node:crypto';
import { Verifier } from '@pact-foundation/pact';
import type { TokenSource } from '../../src/profile/token-source.js';
import type { Mutation, PushRequest } from './client-mutations.js';
import { HTTP_PAIR, pactFile } from './pact-files.js';
import { HttpState, stringParam } from './provider-states.js';
import { SyncApiClient, SyncApiError, type PushResponse } from './sync-api-client.js';

/** Options of {@link verifyHttpProvider}. */
export interface HttpProviderOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:4000`. */
  readonly baseUrl: string;
  /** Mints tokens; must be able to sign for any tenant and subject. */
  readonly tokens: TokenSource;
  /** Pact file to verify (default the committed one). */
  readonly pactFile?: string;
  /** Prefix of the per-interaction tenant ids (default `pact`). */
  readonly tenantPrefix?: string;
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/**
 * The verification could not decide: the server was unreachable, no token could be had, or a
 * provider state could not be set up through the server's API.
 */
export class StateSetupError extends Error {
  override name = 'StateSetupError';
}

interface Session {
  tenantId: string;
  actorId: string;
}

/** Minimal express types: the verifier's request filter is an express middleware. */
interface FilterRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Verifies the pact; rejects when an interaction fails. */
export async function verifyHttpProvider(options: HttpProviderOptions): Promise<void> {
  if (!options.tokens.capabilities.anyPrincipal) {
    throw new TypeError('pact verification mints tokens for a fresh tenant per interaction; the profile cannot (use jwt-signing-key or a token endpoint)');
  }
  const prefix = options.tenantPrefix ?? 'pact';
  const runTag = randomUUID().slice(0, 8);
  let counter = 0;
  const session: Session = { tenantId: '', actorId: '' };
  const token = () => options.tokens.mint({ tenantId: session.tenantId, sub: session.actorId, roles: ['clinician'] });
  const api = new SyncApiClient({ baseUrl: options.baseUrl, token });

  // Before anything else: a target that cannot be reached is inconclusive, not a pact failure.
  try {
    session.tenantId = `${prefix}-${runTag}-0`;
    session.actorId = 'pact-preflight';
    await api.conflicts('open');
  } catch (err) {
    if (!(err instanceof SyncApiError)) throw new StateSetupError(`cannot reach ${options.baseUrl} or get a token: ${(err as Error).message}`);
    // A refused token is a profile problem (key, issuer, audience), not a broken pact.
    if (err.status === 401) throw new StateSetupError(`${options.baseUrl} refuses the minted token (401); check the profile's auth`);
  }

  const begin = (params: unknown): void => {
    session.actorId = stringParam(params, 'actorId');
  };

  /** Pushes setup mutations as another installation of the same user. */
  const setupPush = async (mutations: readonly Omit<Mutation, 'clientSeq' | 'capturedAt' | 'actorId' | 'clientMutationId'>[]): Promise<PushResponse> => {
    const now = new Date().toISOString();
    const body: PushRequest = {
      clientId: randomUUID(),
      mutations: mutations.map((m, i) => ({ ...m, clientMutationId: randomUUID(), clientSeq: i + 1, capturedAt: now, actorId: session.actorId })),
    };
    return api.push(body);
  };

  const expectStatuses = (res: PushResponse, statuses: readonly string[], state: string): PushResponse => {
    const got = res.outcomes.map((o) => o.status);
    if (got.join() !== statuses.join()) throw new StateSetupError(`state '${state}': setup push answered ${got.join()} instead of ${statuses.join()}`);
    return res;
  };

  const encounterAtVersion2 = async (params: unknown, state: string): Promise<{ encounterId: string }> => {
    const encounterId = stringParam(params, 'encounterId');
    const patientId = stringParam(params, 'patientId');
    const aggregate = { type: 'encounter', id: encounterId };
    expectStatuses(
      await setupPush([
        { aggregate, op: 'create', baseVersion: 0, payload: { patientId, status: 'planned' } },
        { aggregate, op: 'update', baseVersion: 1, payload: { status: 'in-progress' } },
      ]),
      ['applied', 'applied'],
      state,
    );
    return { encounterId };
  };

  const stateHandlers = {
    [HttpState.newClient]: async (params: unknown) => {
      begin(params);
      return undefined;
    },
    [HttpState.alreadyPushed]: async (params: unknown) => {
      begin(params);
      const mutation = (params as { mutation?: unknown }).mutation as Mutation;
      const res = await api.push({ clientId: stringParam(params, 'clientId'), mutations: [mutation] });
      expectStatuses(res, ['applied'], HttpState.alreadyPushed);
      return undefined;
    },
    [HttpState.encounterAtVersion2]: async (params: unknown) => {
      begin(params);
      await encounterAtVersion2(params, HttpState.encounterAtVersion2);
      return undefined;
    },
    [HttpState.tenantHasChanges]: async (params: unknown) => {
      begin(params);
      await encounterAtVersion2(params, HttpState.tenantHasChanges);
      return undefined;
    },
    [HttpState.skuTaken]: async (params: unknown) => {
      begin(params);
      const payload = { sku: stringParam(params, 'sku'), name: 'Pact fixture', quantity: 10, controlled: false };
      expectStatuses(await setupPush([{ aggregate: { type: 'stock-item', id: randomUUID() }, op: 'create', baseVersion: 0, payload }]), ['applied'], HttpState.skuTaken);
      return undefined;
    },
    [HttpState.openConflict]: async (params: unknown) => {
      begin(params);
      const { encounterId } = await encounterAtVersion2(params, HttpState.openConflict);
      const res = await setupPush([{ aggregate: { type: 'encounter', id: encounterId }, op: 'update', baseVersion: 1, payload: { status: 'finished' } }]);
      const [outcome] = expectStatuses(res, ['conflict'], HttpState.openConflict).outcomes;
      return { conflictId: (outcome as { conflictId: string }).conflictId };
    },
  };

  // pact-js only logs a failing state handler and runs the interaction anyway; keep the reason so
  // the caller learns the verification was inconclusive rather than reading a confusing mismatch.
  const setupFailures: string[] = [];
  const recorded = Object.fromEntries(
    Object.entries(stateHandlers).map(([name, fn]) => [
      name,
      async (params: unknown) => {
        try {
          return await fn(params);
        } catch (err) {
          setupFailures.push(`${name}: ${(err as Error).message}`);
          throw err;
        }
      },
    ]),
  );

  const verification = new Verifier({
    provider: HTTP_PAIR.provider,
    providerBaseUrl: options.baseUrl,
    pactUrls: [options.pactFile ?? pactFile(HTTP_PAIR)],
    logLevel: options.logLevel ?? 'error',
    // A fresh tenant per interaction: the pact's ids are fixed, the server's data is not reset.
    beforeEach: async () => {
      counter += 1;
      session.tenantId = `${prefix}-${runTag}-${counter}`;
      session.actorId = '';
    },
    stateHandlers: recorded,
    requestFilter: (req: FilterRequest, _res: unknown, next: (err?: unknown) => void) => {
      if (req.path.startsWith('/_pact')) return next();
      token().then((t) => {
        req.headers['authorization'] = `Bearer ${t}`;
        next();
      }, next);
    },
  }).verifyProvider();
  try {
    await verification;
  } finally {
    if (setupFailures.length > 0) throw new StateSetupError(`provider state setup failed: ${setupFailures.join('; ')}`);
  }
}

/**
 * What the route modules share: the bound core, the store (for reads outside the core), the
 * device envelope service, the responder and the hooks the app was built with.
 */
import type { DevIssuer } from '../../auth/dev-issuer.js';
import type { DeviceEnvelopes } from '../../audit/device-envelopes.js';
import type { Core } from '../../domain/core.js';
import type { ModuleRegistry } from '../../domain/module.js';
import type { Store } from '../../ports/store.js';
import type { Responder } from '../respond.js';

/** Shared route dependencies. */
export interface RouteContext {
  /** The core; typed as async because `await` works for both store kinds. */
  readonly core: Core<'async'>;
  readonly store: Store;
  readonly devices: DeviceEnvelopes;
  /** The modules served (for checks that name a field before the core runs). */
  readonly modules: ModuleRegistry;
  readonly responder: Responder;
  readonly devIssuer: DevIssuer | undefined;
  /** Called after a request that may have committed outbox rows (wakes the relay). */
  readonly onCommit: () => void;
  /** Honour the host contract's test hooks (http/test-hooks.ts); never on by default. */
  readonly testHooks: boolean;
}

/** First value of a query parameter; a repeated parameter is refused by the caller. */
export function single(value: unknown): string | undefined | string[] {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String);
  return String(value);
}

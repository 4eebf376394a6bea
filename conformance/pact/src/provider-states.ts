/**
 * The provider states the pacts name, and the parameters each carries. The consumer declares them
 * with `given(name, params)`; a provider sets the state up from the parameters alone, so it never
 * needs the consumer's code. Every state carries the `actorId` the client's mutations name, which
 * is who the provider must sign the request's token for.
 */

/** Parameters every state carries. */
export interface ActorParams {
  readonly actorId: string;
  readonly [key: string]: unknown;
}

/** HTTP provider states (pact `syncproof-offline-client` → `syncproof-sync-api`). */
export const HttpState = {
  /** Nothing is stored for the client yet. Params: {@link ActorParams}. */
  newClient: 'the clinician has a new offline client',
  /** The same push was already applied once. Params: {@link AlreadyPushedParams}. */
  alreadyPushed: 'the client already pushed the mutation',
  /** Encounter `encounterId` was created and updated once (version 2). Params: {@link EncounterParams}. */
  encounterAtVersion2: 'an encounter exists at version 2',
  /** A stock item with SKU `sku` exists in the tenant. Params: {@link SkuParams}. */
  skuTaken: 'a stock item with the SKU exists',
  /** The tenant has committed an encounter create and update. Params: {@link EncounterParams}. */
  tenantHasChanges: 'the tenant has committed changes',
  /**
   * A stale update by `actorId` on encounter `encounterId` opened a conflict. Params:
   * {@link EncounterParams}; the provider returns `{conflictId}` for the request path.
   */
  openConflict: 'an open conflict exists on an encounter',
} as const;

/** Message provider states (pact `syncproof-event-consumer` → `syncproof-sync-events`). */
export const MessageState = {
  /** An offline client's push created an encounter. Params: {@link ActorParams}. */
  encounterCreated: 'an offline client pushed a new encounter',
  /** A conflict on an encounter (PHI) was resolved with take-client. Params: {@link ActorParams}. */
  phiConflictResolved: 'a conflict on an encounter was resolved',
} as const;

/** Params of {@link HttpState.alreadyPushed}. */
export interface AlreadyPushedParams extends ActorParams {
  readonly clientId: string;
  /** The mutation as the client pushed it (a JSON object). */
  readonly mutation: Record<string, unknown>;
}

/** Params of the encounter states. */
export interface EncounterParams extends ActorParams {
  readonly encounterId: string;
  readonly patientId: string;
}

/** Params of {@link HttpState.skuTaken}. */
export interface SkuParams extends ActorParams {
  readonly sku: string;
}

/** Reads a string parameter, failing the state setup loudly when the pact lacks it. */
export function stringParam(params: unknown, name: string): string {
  const v = (params as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== 'string' || v === '') throw new TypeError(`provider state parameter '${name}' is missing`);
  return v;
}

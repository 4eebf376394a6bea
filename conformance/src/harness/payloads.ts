/**
 * Expands the profile's example payloads into fresh values: `${uuid}` becomes a new uuid each time,
 * `${suffix}` a short id shared within one expansion (so an MRN and a name can carry the same
 * marker), `${now}` the current ISO date-time. Fresh values let a shared staging target run the
 * suite repeatedly without a reset.
 */
import { randomUUID } from 'node:crypto';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** Replaces placeholders in every string of `value` (deeply). */
export function expandPlaceholders(value: unknown, suffix: string = randomUUID().slice(0, 8)): unknown {
  if (typeof value === 'string') {
    // A string that is exactly one placeholder keeps its own type (always a string here).
    return value
      .replace(/\$\{uuid\}/g, () => randomUUID())
      .replace(/\$\{suffix\}/g, suffix)
      .replace(/\$\{now\}/g, () => new Date().toISOString());
  }
  if (Array.isArray(value)) return value.map((v) => expandPlaceholders(v, suffix));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandPlaceholders(v, suffix)]));
  }
  return value;
}

/** Expands an example and applies `overrides` on top (shallow). */
export function examplePayload(example: Readonly<JsonObject>, overrides: Readonly<JsonObject> = {}): JsonObject {
  return { ...(expandPlaceholders(example) as JsonObject), ...overrides };
}

/**
 * Effective core configuration.
 */
import { DEFAULT_CORE_CONFIG, type CoreConfig } from './types.js';

const cache = new WeakMap<object, CoreConfig>();

/** Defaults overlaid with `overrides` (memoised per overrides object: the hot path calls it per push). */
export function effectiveConfig(overrides: Partial<CoreConfig> | undefined): CoreConfig {
  if (!overrides) return DEFAULT_CORE_CONFIG;
  let c = cache.get(overrides);
  if (!c) {
    c = Object.freeze({ ...DEFAULT_CORE_CONFIG, ...overrides });
    cache.set(overrides, c);
  }
  return c;
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadMatrix } from '../../../traceability/src/matrix/parse-matrix.js';
import { DEFECTS, DEFECT_NAMES, defectNames, findDefect, UnknownDefectError } from '../../src/defects/catalogue.js';
import { plantDefects } from '../../src/defects/plant-defects.js';
import { DOMAIN_DEFECTS } from '../../src/domain/defects.js';
import { createInProcessCore } from '../../src/in-process/in-process-core.js';
import { ManualClock } from '../../src/ports/clock.js';
import { createMemoryStore } from '../../src/stores/memory/memory-store.js';

const FILES = fileURLToPath(new URL('../../src/defects/', import.meta.url));

describe('defect catalogue', () => {
  test('has at least 15 defects with unique kebab-case names', () => {
    expect(DEFECTS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(DEFECT_NAMES).size).toBe(DEFECT_NAMES.length);
    for (const n of DEFECT_NAMES) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('every defect declares known requirement IDs and a one-line description', () => {
    const known = new Set(loadMatrix().map((r) => r.id));
    for (const d of DEFECTS) {
      expect(d.violates.length, d.name).toBeGreaterThan(0);
      for (const id of d.violates) expect(known.has(id), `${d.name}: ${id}`).toBe(true);
      expect(d.description, d.name).not.toMatch(/\n/);
      expect(d.description.length, d.name).toBeGreaterThan(10);
    }
  });

  test('each defect lives in its own file that says why it violates its requirements', () => {
    for (const d of DEFECTS) {
      const text = readFileSync(`${FILES}${d.name}.ts`, 'utf8');
      const header = text.slice(0, text.indexOf('*/'));
      expect(header, d.name).toContain(`\`${d.name}\` — why this violates `);
      for (const id of d.violates) expect(header, `${d.name} names ${id}`).toContain(id);
      expect(text, d.name).toMatch(/Planted: /);
    }
  });

  test('domain switches name a defect the core knows', () => {
    for (const d of DEFECTS.filter((x) => x.site === 'domain')) expect(DOMAIN_DEFECTS).toContain(d.hooks.domain);
    for (const d of DEFECTS.filter((x) => x.site !== 'domain')) expect(d.hooks.domain, d.name).toBeUndefined();
  });

  test('every domain switch is planted by exactly one catalogue entry', () => {
    const planted = DEFECTS.filter((x) => x.site === 'domain').map((d) => d.hooks.domain);
    expect([...planted].sort()).toEqual([...DOMAIN_DEFECTS].sort());
  });

  test('an unknown name is refused naming the valid ones', () => {
    expect(() => defectNames(['nope'])).toThrow(UnknownDefectError);
    expect(() => findDefect('nope')).toThrow(/known: dedup-ignores-tenant, /);
    expect(() => createInProcessCore({ clock: new ManualClock(), defects: ['nope'] })).toThrow(/unknown planted defect 'nope'/);
    expect([...defectNames(['lost-update', 'dedup-ignores-tenant'])]).toEqual(['dedup-ignores-tenant', 'lost-update']);
  });

  test('planting nothing leaves every part untouched', () => {
    const p = plantDefects(undefined);
    const store = createMemoryStore();
    expect(p.store(store)).toBe(store);
    expect(p.domain.size).toBe(0);
  });

  test('every defect can be planted into the in-process core, and a planted store is not wrapped twice', () => {
    for (const name of DEFECT_NAMES) {
      const c = createInProcessCore({ clock: new ManualClock(), defects: [name] });
      expect(plantDefects([name]).store(c.store)).toBe(c.store);
    }
  });
});

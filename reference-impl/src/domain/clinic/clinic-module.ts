/**
 * The `clinic` module of the reference server: patients (manual), encounters (reject-stale),
 * notes (merge-append), stock items (server-authoritative). Declared as data so the policy per
 * aggregate type is visible in one place (TR §6.2, OFS-CONF-013).
 */
import type { AggregateDefinition, ModuleDefinition } from '../module.js';
import { encounterAggregate } from './encounter.js';
import { noteAggregate } from './note.js';
import { patientAggregate } from './patient.js';
import { stockItemAggregate } from './stock-item.js';

const aggregates: readonly AggregateDefinition[] = [patientAggregate, encounterAggregate, noteAggregate, stockItemAggregate];

/** The clinic module definition. */
export const clinicModule: ModuleDefinition = {
  name: 'clinic',
  aggregates: new Map(aggregates.map((a) => [a.type, a])),
};

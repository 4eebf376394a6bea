/**
 * A workload for any module, built from the example payloads a target profile declares per
 * aggregate type and op (conformance/TARGET.md): users create aggregates and change ones their
 * device knows (its own or pulled from others). `${uuid}`, `${suffix}` and `${now}` in examples are
 * filled from the device's seeded id stream and its clock.
 */
import type { Random } from '../src/env/random.js';
import type { KnownAggregates, PlannedMutation } from '../src/client/workload.js';
import type { MutationPlanner } from '../src/client/offline-device.js';

/** Ops that change an existing aggregate, in the order their examples are looked for. */
const CHANGE_OPS = ['update', 'append', 'adjust'] as const;

/** An aggregate type and its example payloads (the profile's `aggregates[]` entries fit). */
export interface WorkloadAggregate {
  readonly type: string;
  readonly examplePayloads: {
    readonly create: Readonly<Record<string, unknown>>;
    readonly update?: Readonly<Record<string, unknown>>;
    readonly append?: Readonly<Record<string, unknown>>;
    readonly adjust?: Readonly<Record<string, unknown>>;
  };
}

/** Share of captures that create a new aggregate once there is something to change. */
const CREATE_SHARE = 0.35;

/** Fills placeholders with seeded values: one `${suffix}` per expansion, a fresh `${uuid}` each time. */
export function expandExample(value: unknown, ids: Random, now: string, suffix: string): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/\$\{uuid\}/g, () => ids.uuid())
      .replace(/\$\{suffix\}/g, suffix)
      .replace(/\$\{now\}/g, now);
  }
  if (Array.isArray(value)) return value.map((v) => expandExample(v, ids, now, suffix));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandExample(v, ids, now, suffix)]));
  }
  return value;
}

function changeOps(a: WorkloadAggregate): (typeof CHANGE_OPS)[number][] {
  return CHANGE_OPS.filter((op) => a.examplePayloads[op] !== undefined);
}

/** A planner over `aggregates` (at least one). */
export function examplePlanner(aggregates: readonly WorkloadAggregate[]): MutationPlanner {
  if (aggregates.length === 0) throw new RangeError('examplePlanner needs at least one aggregate type');
  return (w: Random, ids: Random, known: KnownAggregates, authoredAt: string): PlannedMutation => {
    const changeable = aggregates.filter((a) => changeOps(a).length > 0 && (known.get(a.type)?.length ?? 0) > 0);
    const suffix = ids.uint32().toString(36);
    if (changeable.length === 0 || w.chance(CREATE_SHARE)) {
      const a = w.pick(aggregates);
      const payload = expandExample(a.examplePayloads.create, ids, authoredAt, suffix) as Record<string, unknown>;
      return { type: a.type, id: ids.uuid(), op: 'create', creates: true, payload };
    }
    const a = w.pick(changeable);
    const op = w.pick(changeOps(a));
    const id = w.pick(known.get(a.type) as readonly string[]);
    const payload = expandExample(a.examplePayloads[op], ids, authoredAt, suffix) as Record<string, unknown>;
    return { type: a.type, id, op, creates: false, payload };
  };
}

/**
 * Push bodies for the bench: each push comes from its own client (clientSeq 1..n), creating
 * encounters and notes with fresh ids — valid, decided `applied` work of realistic size.
 */
import { randomUUID } from 'node:crypto';

/** `count` push bodies of `perPush` mutations each, by `actorId`. */
export function pushBodies(count: number, perPush: number, actorId: string): string[] {
  const bodies: string[] = [];
  for (let p = 0; p < count; p += 1) {
    const clientId = randomUUID();
    const patientId = randomUUID();
    const mutations = Array.from({ length: perPush }, (_, i) =>
      i % 2 === 0
        ? {
            clientMutationId: randomUUID(),
            clientSeq: i + 1,
            aggregate: { type: 'encounter', id: randomUUID() },
            op: 'create',
            baseVersion: 0,
            payload: { patientId, status: 'planned', reason: 'routine check-up' },
            capturedAt: '2026-01-01T08:00:00Z',
            actorId,
          }
        : {
            clientMutationId: randomUUID(),
            clientSeq: i + 1,
            aggregate: { type: 'note', id: randomUUID() },
            op: 'create',
            baseVersion: 0,
            payload: { patientId, title: 'Consultation note' },
            capturedAt: '2026-01-01T08:00:00Z',
            actorId,
          },
    );
    bodies.push(JSON.stringify({ clientId, mutations }));
  }
  return bodies;
}

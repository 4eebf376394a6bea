/**
 * Opens a store from one string, as `syncproof serve --db` and `DATABASE_URL` give it:
 * `memory` → in-memory; `postgres://…` / `postgresql://…` → PostgreSQL; anything else → SQLite
 * (`:memory:` or a file path) with group commit: a served process has many requests in flight,
 * and the transactions of one event-loop turn share a commit (sqlite/group-commit-store.ts).
 */
import type { Store } from '../ports/store.js';
import { createMemoryStore } from './memory/memory-store.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openGroupCommitSqliteStore } from './sqlite/group-commit-store.js';

/** Opens the store named by `spec`. */
export async function openStore(spec: string): Promise<Store> {
  if (spec === 'memory') return createMemoryStore();
  if (/^postgres(ql)?:\/\//.test(spec)) return openPostgresStore({ connectionString: spec });
  return openGroupCommitSqliteStore({ filename: spec });
}

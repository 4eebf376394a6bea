/**
 * Throw-away PostgreSQL databases for tests: `syncproof_test_<pid>_<n>` on the local server
 * (127.0.0.1:5432, trust auth as `root` or `postgres`, or `SYNCPROOF_TEST_PG_URL` pointing at an
 * admin database). Each is dropped again by `drop()`.
 */
import pg from 'pg';

let counter = 0;
let adminUrl: string | undefined;

async function findAdminUrl(): Promise<string> {
  if (adminUrl) return adminUrl;
  const candidates = process.env.SYNCPROOF_TEST_PG_URL
    ? [process.env.SYNCPROOF_TEST_PG_URL]
    : ['postgres://root@127.0.0.1:5432/postgres', 'postgres://postgres@127.0.0.1:5432/postgres'];
  const errors: string[] = [];
  for (const url of candidates) {
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      adminUrl = url;
      return url;
    } catch (err) {
      errors.push(`${url}: ${(err as Error).message}`);
      await c.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL unavailable for tests (${errors.join('; ')})`);
}

/** A fresh database. */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = await findAdminUrl();
  const name = `syncproof_test_${process.pid}_${counter++}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await d.end();
      }
    },
  };
}

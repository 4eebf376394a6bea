/**
 * A trusted observer of the target's JetStream streams: reads the events published since the
 * check started on one tenant's subjects, with their headers, after a settle period for the
 * outbox relay. Used to count events per mutation and inspect subjects and `Nats-Msg-Id`.
 */
import { connect, credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, type JsMsg } from '@nats-io/jetstream';
import { readFileSync } from 'node:fs';
import { InconclusiveError } from '../failures.js';
import type { NatsCredentials } from '../profile/target-profile.js';

/** One observed message. */
export interface ObservedEvent {
  readonly subject: string;
  readonly msgId: string | undefined;
  readonly seq: number;
  /** Parsed JSON body, or undefined when it is not JSON. */
  readonly body: unknown;
  readonly raw: string;
}

/** Connection options from profile credentials. */
export function natsAuth(creds: NatsCredentials | undefined, dir = process.cwd()): Partial<ConnectionOptions> {
  if (!creds) return {};
  if (creds.credsFile) {
    // A .creds file carries a user JWT and its nkey seed.
    const text = readFileSync(creds.credsFile.startsWith('/') ? creds.credsFile : `${dir}/${creds.credsFile}`);
    return { authenticator: credsAuthenticator(new Uint8Array(text)) };
  }
  return {
    ...(creds.user !== undefined ? { user: creds.user } : {}),
    ...(creds.pass !== undefined ? { pass: creds.pass } : {}),
    ...(creds.token !== undefined ? { token: creds.token } : {}),
  };
}

/** Connects to NATS or throws an environmental {@link InconclusiveError}. */
export async function connectNats(url: string, creds?: NatsCredentials, name = 'syncproof-conformance'): Promise<NatsConnection> {
  try {
    return await connect({ servers: url.split(',').map((s) => s.trim()), name, timeout: 2_000, reconnect: false, ...natsAuth(creds) });
  } catch (err) {
    throw new InconclusiveError(`NATS unavailable at ${url}: ${(err as Error).message}`, { environmental: true, cause: err });
  }
}

/** Reads a stream. */
export class EventObserver {
  private constructor(private readonly nc: NatsConnection) {}

  /** Connects to `url`. */
  static async open(url: string, creds?: NatsCredentials): Promise<EventObserver> {
    return new EventObserver(await connectNats(url, creds));
  }

  /**
   * Every message of `stream` on `subject` (wildcards allowed) stored at or after `since`.
   * Reads until the stream has nothing more for the filter.
   */
  async read(stream: string, subject: string, since: Date): Promise<ObservedEvent[]> {
    const js = jetstream(this.nc, { timeout: 5_000 });
    let consumer;
    try {
      consumer = await js.consumers.get(stream, {
        filter_subjects: subject,
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: since.toISOString(),
      });
    } catch (err) {
      throw new InconclusiveError(`cannot read stream ${stream}: ${(err as Error).message}`, { cause: err });
    }
    const out: ObservedEvent[] = [];
    try {
      // Fetch exactly what is pending: a fetch for more than exists would wait for its expiry.
      for (let round = 0; round < 100; round += 1) {
        const pending = (await consumer.info(false)).num_pending;
        if (pending === 0) break;
        const batch = await consumer.fetch({ max_messages: Math.min(pending, 256), expires: 2_000 });
        for await (const m of batch) out.push(toObserved(m));
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return out;
  }

  /** The underlying connection (for publish attempts with other credentials, use {@link connectNats}). */
  get connection(): NatsConnection {
    return this.nc;
  }

  async close(): Promise<void> {
    await this.nc.close().catch(() => undefined);
  }
}

function toObserved(m: JsMsg): ObservedEvent {
  const raw = m.string();
  let body: unknown;
  try {
    body = JSON.parse(raw) as unknown;
  } catch {
    body = undefined;
  }
  return { subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id') || undefined, seq: m.seq, body, raw };
}

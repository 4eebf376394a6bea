/**
 * The NATS JetStream side of the event relay: one connection that reconnects forever, the two
 * streams (`SYNC_EVENTS` on `sync.>`, `AUDIT` on `audit.>`) created when absent, and a publish that
 * always sets `Nats-Msg-Id` so the stream's duplicate window drops a re-publish.
 */
import { connect, headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';

/** Options of {@link JetStreamBus.connect}. */
export interface JetStreamBusOptions {
  /** NATS server URL(s), comma separated (`nats://127.0.0.1:4222`). */
  readonly url: string;
  /** Stream for sync events (default `SYNC_EVENTS`). */
  readonly syncStream?: string;
  /** Stream for audit events (default `AUDIT`). */
  readonly auditStream?: string;
  /**
   * Prefix put before every subject (default none). Lets tests share a NATS server without their
   * streams' subjects overlapping; production leaves it empty.
   */
  readonly subjectPrefix?: string;
  /** JetStream duplicate window (default one hour: longer than any restart after a crash). */
  readonly duplicateWindowMs?: number;
  /** Wait this long for each publish acknowledgement (default 5 s). */
  readonly publishTimeoutMs?: number;
  /** Connection name shown by the server. */
  readonly name?: string;
}

/** Outcome of one publish. */
export interface PublishAck {
  readonly stream: string;
  readonly seq: number;
  /** True when the stream had already stored this `Nats-Msg-Id`. */
  readonly duplicate: boolean;
}

/** Something that can publish relay messages (the JetStream bus, or a fake in tests). */
export interface EventBus {
  /** Publishes `data` with `Nats-Msg-Id: msgId` and, when given, a `content-type` header. */
  publish(subject: string, data: string, msgId: string, contentType?: string): Promise<PublishAck>;
  /** True while the connection is up. */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** Default stream names (TR §8.2). */
export const DEFAULT_SYNC_STREAM = 'SYNC_EVENTS';
/** Default audit stream name (TR §8.2). */
export const DEFAULT_AUDIT_STREAM = 'AUDIT';

/** A JetStream connection with the relay's two streams. */
export class JetStreamBus implements EventBus {
  private up = true;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly options: JetStreamBusOptions,
  ) {
    void this.watchStatus();
  }

  /**
   * Connects (one attempt; the caller retries) and makes sure both streams exist. Once connected,
   * the client reconnects by itself forever; publishes fail fast while it is away.
   */
  static async connect(options: JetStreamBusOptions): Promise<JetStreamBus> {
    const nc = await connect({
      servers: options.url.split(',').map((s) => s.trim()),
      name: options.name ?? 'syncproof-reference-relay',
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      reconnectJitter: 100,
      timeout: 2_000,
      waitOnFirstConnect: false,
    });
    try {
      const bus = new JetStreamBus(nc, jetstream(nc, { timeout: options.publishTimeoutMs ?? 5_000 }), options);
      await bus.ensureStreams();
      return bus;
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
  }

  /** The prefixed subject actually used on the wire. */
  subject(subject: string): string {
    return `${this.options.subjectPrefix ?? ''}${subject}`;
  }

  /** Creates the streams when absent (idempotent; safe to run from several processes at once). */
  async ensureStreams(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const window = nanos(this.options.duplicateWindowMs ?? 3_600_000);
    const wanted = [
      { name: this.options.syncStream ?? DEFAULT_SYNC_STREAM, subjects: [this.subject('sync.>')] },
      { name: this.options.auditStream ?? DEFAULT_AUDIT_STREAM, subjects: [this.subject('audit.>')] },
    ];
    for (const stream of wanted) {
      try {
        await jsm.streams.info(stream.name);
        continue;
      } catch (err) {
        if (!(err instanceof JetStreamApiError) || err.status !== 404) throw err;
      }
      try {
        await jsm.streams.add({ name: stream.name, subjects: stream.subjects, duplicate_window: window });
      } catch (err) {
        // Another process created it between our info and add: fine.
        if (!(err instanceof JetStreamApiError) || !/already in use/i.test(err.message)) throw err;
      }
    }
  }

  get connected(): boolean {
    return this.up && !this.nc.isClosed();
  }

  async publish(subject: string, data: string, msgId: string, contentType?: string): Promise<PublishAck> {
    const h = headers();
    if (contentType !== undefined) h.set('content-type', contentType);
    const ack = await this.js.publish(this.subject(subject), data, { msgID: msgId, retries: 1, headers: h });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close();
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') this.up = false;
      else if (s.type === 'reconnect') {
        this.up = true;
        // A server that came back with an empty store has lost the streams; recreate them.
        this.ensureStreams().catch(() => undefined);
      }
    }
  }
}

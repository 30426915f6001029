// Live events. In one process they travel through an EventEmitter; on PostgreSQL every
// instance LISTENs on one channel and publishes with NOTIFY, so all instances see all events.
// A committed transaction's events go out together: one statement, its events packed into as
// few NOTIFY payloads as fit (each NOTIFY commits on its own, takes the database-wide NOTIFY
// lock and waits for its WAL flush: one per event capped a burst of reminders at the disk).
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { z } from 'zod';
import { LiveEvent } from '../../contracts/live.js';

/** Between instances only (never sent to browsers): cached sessions to drop. */
export const SessionsRevoked = z.object({
  type: z.literal('sessions.revoked'),
  sessionId: z.string().optional(),
  userId: z.number().optional(),
  orgId: z.number().optional(),
});
export type SessionsRevoked = z.infer<typeof SessionsRevoked>;

export const BusEvent = z.union([LiveEvent, SessionsRevoked]);
export type BusEvent = z.infer<typeof BusEvent>;

export interface EventBus {
  /** Call after the transaction that made the change has committed. */
  publish(event: BusEvent): Promise<void>;
  /** The events of one committed transaction (or batch of them), in order, at once. */
  publishMany(events: readonly BusEvent[]): Promise<void>;
  subscribe(listener: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

/** Instances on the same schema share one channel; other schemas (tests) hear nothing. */
export function channelFor(schema: string | undefined): string {
  return schema ? `servewell_events_${schema.replace(/[^a-z0-9_]/gi, '')}` : 'servewell_events';
}

export class LocalEventBus implements EventBus {
  protected emitter = new EventEmitter().setMaxListeners(0);
  async publish(event: BusEvent): Promise<void> {
    this.emitter.emit('event', event);
  }
  async publishMany(events: readonly BusEvent[]): Promise<void> {
    for (const event of events) this.emitter.emit('event', event);
  }
  subscribe(listener: (event: BusEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

interface Logger {
  warn(obj: unknown, msg?: string): void;
}

export class PostgresEventBus extends LocalEventBus {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 250;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connection: pg.ClientConfig,
    private readonly log: Logger,
    private readonly channel: string,
  ) {
    super();
  }

  /** Resolves once this instance is listening. */
  async start(): Promise<void> {
    const client = new pg.Client(this.connection);
    client.on('notification', (msg) => {
      if (msg.channel !== this.channel || !msg.payload) return;
      let payload: unknown;
      try {
        payload = JSON.parse(msg.payload);
      } catch {
        return; // not ours: anyone with database access can NOTIFY this channel
      }
      // One event, or several packed together by publishMany.
      for (const item of Array.isArray(payload) ? payload : [payload]) {
        const parsed = BusEvent.safeParse(item);
        if (parsed.success) this.emitter.emit('event', parsed.data);
      }
    });
    client.on('error', (err) => {
      this.log.warn({ err }, 'event listener connection lost; reconnecting');
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.client = client;
    this.retryMs = 250;
  }

  private reconnect(): void {
    const old = this.client;
    this.client = undefined;
    old?.end().catch(() => undefined);
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.start().catch((err) => {
        this.log.warn({ err }, 'event listener reconnect failed');
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
        this.reconnect();
      });
    }, this.retryMs).unref();
  }

  override async publish(event: BusEvent): Promise<void> {
    await this.pool.query('select pg_notify($1, $2)', [this.channel, JSON.stringify(event)]);
  }

  /** One round trip and one commit for all: the events packed into payloads under NOTIFY's limit. */
  override async publishMany(events: readonly BusEvent[]): Promise<void> {
    if (!events.length) return;
    if (events.length === 1) return this.publish(events[0]!);
    const payloads = packPayloads(events.map((e) => JSON.stringify(e)));
    await this.pool.query('select pg_notify($1, p) from unnest($2::text[]) as p', [this.channel, payloads]);
  }

  override async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    await super.close();
  }
}

/** NOTIFY refuses payloads of 8000 bytes or more; a margin for multi-byte characters aside. */
const MAX_PAYLOAD_BYTES = 7900;

/** JSON arrays of the serialized events, in order, each under the payload limit. */
export function packPayloads(serialized: readonly string[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let bytes = 2;
  for (const s of serialized) {
    const size = Buffer.byteLength(s) + 1;
    if (part.length && bytes + size > MAX_PAYLOAD_BYTES) {
      out.push(`[${part.join(',')}]`);
      part = [];
      bytes = 2;
    }
    part.push(s);
    bytes += size;
  }
  if (part.length) out.push(`[${part.join(',')}]`);
  return out;
}

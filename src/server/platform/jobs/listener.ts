// PostgreSQL only: a dedicated connection LISTENing on the jobs channel of its schema, so an
// enqueue committed by any instance wakes idle runners at once. Reconnects with backoff; the
// runner's slow poll covers the gap.
import pg from 'pg';

export interface Logger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export class JobsListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 250;

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly onWake: () => void,
    private readonly log: Logger,
  ) {}

  /** Resolves once listening. */
  async start(): Promise<void> {
    const client = new pg.Client(this.connection);
    client.on('notification', () => this.onWake());
    client.on('error', (err) => {
      if (this.client !== client) return; // failed while starting: start() rejects instead
      this.log.warn({ err }, 'job listener connection lost; reconnecting');
      this.reconnect();
    });
    try {
      await client.connect();
      // The channel name is the one enqueues compute, from the same search_path.
      const { rows } = await client.query<{ channel: string }>(
        `select left('servewell_jobs_' || current_schema(), 63) as channel`,
      );
      await client.query(`LISTEN ${client.escapeIdentifier(rows[0]!.channel)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 250;
    this.onWake(); // anything enqueued while not listening
  }

  private reconnect(): void {
    const old = this.client;
    this.client = undefined;
    old?.end().catch(() => undefined);
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.start().catch((err: unknown) => {
        this.log.warn({ err }, 'job listener reconnect failed');
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
        this.reconnect();
      });
    }, this.retryMs).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}

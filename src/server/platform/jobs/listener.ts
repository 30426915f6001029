// PostgreSQL only: a dedicated connection LISTENing on the jobs channel of its schema, so an
// enqueue committed by any instance wakes idle runners at once. A lost connection is made
// again with growing pauses; the runner's slow poll covers the gap.
import pg from 'pg';

export interface Logger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export class JobsListener {
  private client: pg.Client | undefined;
  private closed = false;
  private kept: Promise<void> | undefined;
  private cancelPause: (() => void) | undefined;

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly onWake: () => void,
    private readonly log: Logger,
  ) {}

  /** Resolves once listening (or rejects: the database is not there at start). */
  async start(): Promise<void> {
    const { lost } = await this.listen();
    this.kept = this.keepListening(lost);
  }

  /** One connection: resolves when listening, with a promise that settles when it is lost. */
  private async listen(): Promise<{ lost: Promise<unknown> }> {
    const client = new pg.Client(this.connection);
    const lost = new Promise((resolve) => {
      client.on('error', resolve);
      client.on('end', () => resolve(undefined));
    });
    client.on('notification', () => this.onWake());
    try {
      await client.connect();
      // The channel name enqueues compute, from the same search_path.
      const { rows } = await client.query<{ channel: string }>(
        `select left('servewell_jobs_' || current_schema(), 63) as channel`,
      );
      await client.query(`LISTEN ${client.escapeIdentifier(rows[0]!.channel)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    return { lost };
  }

  private async keepListening(lost: Promise<unknown>): Promise<void> {
    let pauseMs = 250;
    for (;;) {
      const err = await lost;
      this.client = undefined;
      if (this.closed) return;
      this.log.warn({ err }, 'job listener connection lost; reconnecting');
      for (;;) {
        await new Promise<void>((resolve) => {
          this.cancelPause = resolve;
          setTimeout(resolve, pauseMs).unref();
        });
        if (this.closed) return;
        try {
          ({ lost } = await this.listen());
          pauseMs = 250;
          this.onWake(); // anything enqueued while deaf
          break;
        } catch (e) {
          this.log.warn({ err: e }, 'job listener reconnect failed');
          pauseMs = Math.min(pauseMs * 2, 10_000);
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelPause?.();
    await this.client?.end().catch(() => undefined);
    await this.kept;
  }
}

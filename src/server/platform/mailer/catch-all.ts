// A mailer that delivers to itself: tests read what would have been sent, and the demo
// organisation shows a newcomer what a patron would receive. Keeps the latest messages only.
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Mailer, MailEnvelope, SendResult } from './mailer.js';

export interface CaughtMessage {
  /** Increasing from 1, for keyset paging on the admin screen. */
  id: number;
  envelope: MailEnvelope;
  raw: Buffer;
  caughtAt: number;
}

export class CatchAllMailer implements Mailer {
  readonly description = 'catch-all (kept in this server, delivered to nobody)';
  private caught: CaughtMessage[] = [];
  private nextId = 1;

  constructor(private readonly options: { limit?: number; clock?: Clock } = {}) {}

  async send(envelope: MailEnvelope, raw: Buffer | string): Promise<SendResult> {
    if (envelope.to.length === 0) throw new TypeError('The envelope names no recipient.');
    const id = this.nextId++;
    this.caught.push({
      id,
      envelope: { from: envelope.from, to: [...envelope.to] },
      raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw),
      caughtAt: (this.options.clock ?? systemClock).now(),
    });
    const limit = this.options.limit ?? 500;
    if (this.caught.length > limit) this.caught.splice(0, this.caught.length - limit);
    return {
      accepted: [...envelope.to],
      rejected: [],
      rejections: [],
      response: `250 Caught as #${id}`,
    };
  }

  /** Newest first; `before` is the id of the last message of the previous page. */
  list(options: { before?: number; limit?: number } = {}): CaughtMessage[] {
    const before = options.before ?? Infinity;
    return this.caught
      .filter((m) => m.id < before)
      .reverse()
      .slice(0, options.limit ?? 50);
  }

  get(id: number): CaughtMessage | null {
    return this.caught.find((m) => m.id === id) ?? null;
  }

  async verify(): Promise<void> {}

  async close(): Promise<void> {}
}

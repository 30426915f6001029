// Which relay an organization's mail goes through: its own SMTP relay, the install-wide one
// from the configuration, or (the demo) the built-in catch-all; none means mail is held.
// Pooled SMTP mailers are kept per organization until its settings change.
import type { Kysely } from 'kysely';
import type { Database, MailSettingsTable } from '../db/types.js';
import type { Selectable } from 'kysely';
import { CatchAllMailer, createSmtpMailer, type Mailer, type SmtpRelaySettings } from '../platform/mailer/index.js';
import * as q from './queries.js';

export interface Relay {
  mailer: Mailer;
  /** Shown on the case and the admin screen: "smtp://relay.example.org:587", "catch-all". */
  description: string;
}

/** Timeouts well inside a delivery's claim on its message (deliver.ts). */
const TIMEOUTS = { connectionTimeoutMs: 20_000, greetingTimeoutMs: 20_000, socketTimeoutMs: 60_000 };

/** An organization's own relay settings as the SMTP mailer takes them. */
export function relaySettingsOf(s: Selectable<MailSettingsTable>): SmtpRelaySettings | null {
  if (s.relay_mode !== 'smtp' || !s.relay_host || !s.relay_port) return null;
  const security = s.relay_security ?? 'starttls';
  return {
    host: s.relay_host,
    port: s.relay_port,
    secure: security === 'tls',
    starttls: security === 'starttls' ? 'required' : security === 'none' ? 'never' : 'opportunistic',
    auth: s.relay_username ? { user: s.relay_username, pass: s.relay_password ?? '' } : null,
    allowSelfSignedCertificate: s.relay_self_signed_ok_at !== null,
    ...TIMEOUTS,
  };
}

export const describeRelay = (s: Pick<SmtpRelaySettings, 'host' | 'port' | 'secure'>) =>
  `${s.secure ? 'smtps' : 'smtp'}://${s.host}:${s.port}`;

export class Relays {
  /** The demo's relay: delivered to nobody, kept in the outbox for an admin to read. */
  readonly catchAll = new CatchAllMailer({ limit: 50 });
  private install: Relay | null = null;
  private readonly own = new Map<number, { key: string; relay: Relay }>();

  constructor(readonly installSettings: SmtpRelaySettings | null) {}

  /** The organization's relay now, or null when it has none (its mail is held). */
  async forOrg(db: Kysely<Database>, orgId: number): Promise<Relay | null> {
    const settings = await q.mailSettings(db, orgId);
    const mode = settings?.relay_mode ?? 'default';
    if (mode === 'catch_all') return { mailer: this.catchAll, description: 'catch-all' };
    if (mode === 'smtp' && settings) {
      const smtp = relaySettingsOf(settings);
      if (!smtp) return null;
      const key = JSON.stringify(smtp);
      const cached = this.own.get(orgId);
      if (cached?.key === key) return cached.relay;
      if (cached) void cached.relay.mailer.close();
      const relay = { mailer: createSmtpMailer(smtp), description: describeRelay(smtp) };
      this.own.set(orgId, { key, relay });
      return relay;
    }
    if (!this.installSettings) return null;
    this.install ??= {
      mailer: createSmtpMailer({ ...TIMEOUTS, ...this.installSettings }),
      description: describeRelay(this.installSettings),
    };
    return this.install;
  }

  async close(): Promise<void> {
    const mailers = [...this.own.values()].map((c) => c.relay.mailer);
    if (this.install) mailers.push(this.install.mailer);
    this.own.clear();
    this.install = null;
    await Promise.allSettled(mailers.map((m) => m.close()));
  }
}

/** A relay made for one check (the admin's "test the connection"), closed by the caller. */
export const oneOffMailer = (settings: SmtpRelaySettings): Mailer => createSmtpMailer({ ...TIMEOUTS, ...settings, maxConnections: 1 });

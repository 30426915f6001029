// The mailer for a real relay: nodemailer's SMTP transport (pooled, so draining an outbox
// reuses connections), with timeouts and every failure classified.
import nodemailer from 'nodemailer';
import {
  classifyDeliveryError,
  type Mailer,
  type MailEnvelope,
  type SendResult,
  toRejection,
} from './mailer.js';

export interface SmtpRelaySettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). Otherwise STARTTLS as `starttls` says. */
  secure?: boolean;
  /** required: refuse to send in clear; opportunistic: upgrade when offered; never: plain. */
  starttls?: 'required' | 'opportunistic' | 'never';
  auth?: { user: string; pass: string } | null;
  /** The name we give in EHLO; the host name by default. */
  clientName?: string;
  /** Accept a relay certificate no CA vouches for (a relay on the same private network). */
  allowSelfSignedCertificate?: boolean;
  /** Extra CA certificates (PEM) to trust for the relay. */
  ca?: string | Buffer;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Connections kept open to the relay; 1 sends one message at a time. */
  maxConnections?: number;
}

export function createSmtpMailer(settings: SmtpRelaySettings): Mailer {
  const starttls = settings.starttls ?? 'opportunistic';
  const transport = nodemailer.createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure ?? false,
    requireTLS: !settings.secure && starttls === 'required',
    ignoreTLS: !settings.secure && starttls === 'never',
    auth: settings.auth ? { user: settings.auth.user, pass: settings.auth.pass } : undefined,
    name: settings.clientName,
    tls: {
      rejectUnauthorized: !settings.allowSelfSignedCertificate,
      ...(settings.ca ? { ca: settings.ca } : {}),
    },
    connectionTimeout: settings.connectionTimeoutMs ?? 30_000,
    greetingTimeout: settings.greetingTimeoutMs ?? 30_000,
    socketTimeout: settings.socketTimeoutMs ?? 120_000,
    maxConnections: settings.maxConnections ?? 5,
    maxMessages: 1000,
    logger: false,
  });
  const scheme = settings.secure ? 'smtps' : 'smtp';

  return {
    description: `${scheme}://${settings.host}:${settings.port}`,
    async send(envelope: MailEnvelope, raw: Buffer | string): Promise<SendResult> {
      if (envelope.to.length === 0) throw new TypeError('The envelope names no recipient.');
      try {
        // Declaring the size lets a relay with a smaller limit refuse before the upload.
        const size = Buffer.byteLength(raw);
        const info = await transport.sendMail({
          envelope: { from: envelope.from, to: envelope.to, size },
          raw,
        });
        return {
          accepted: info.accepted.map(String),
          rejected: info.rejected.map(String),
          rejections: (info.rejectedErrors ?? []).map(toRejection),
          response: info.response,
        };
      } catch (err) {
        throw classifyDeliveryError(err);
      }
    },
    async verify(): Promise<void> {
      try {
        await transport.verify();
      } catch (err) {
        throw classifyDeliveryError(err);
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}

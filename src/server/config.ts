// The environment, parsed once by one zod schema. The only reader of process.env.
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { OpenOptions } from './db/index.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

/** Named ranges proxy-addr (Fastify's trustProxy) knows. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.includes(entry)) return true;
  const [ip, bits, ...rest] = entry.split('/');
  const family = net.isIP(ip ?? '');
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Who may tell us the client's address in X-Forwarded-For: the number of proxies in front of
 * the app (a hop count), or their addresses and CIDR ranges. Never "anyone": then every
 * client names its own address, and rate limits and the audit log believe it.
 */
const trustProxy = z.string().transform((v, ctx): false | number | string[] => {
  const value = v.trim().toLowerCase();
  if (['false', 'no', '0'].includes(value)) return false;
  if (/^[1-9]\d?$/.test(value)) return Number(value);
  if (['true', 'yes'].includes(value)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'would let any client name its own address; give the hop count (the number of proxies in front, e.g. 1) or the proxies\' addresses',
    });
    return z.NEVER;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  // A range of length 0 (0.0.0.0/0, ::/0) holds every address: "anyone" by another name.
  const everyone = entries.filter((e) => /\/0+$/.test(e));
  if (everyone.length) {
    ctx.addIssue({
      code: 'custom',
      message: `${everyone.join(', ')} would let any client name its own address; give the hop count (the number of proxies in front, e.g. 1) or the proxies' addresses`,
    });
    return z.NEVER;
  }
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (!entries.length || bad.length) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a hop count (1-99) or a comma-separated list of proxy addresses or CIDR ranges; not ${bad.join(', ') || 'empty'}`,
    });
    return z.NEVER;
  }
  return entries;
});

/** The relay for outbound mail, as the SMTP mailer takes it (platform/mailer/smtp.ts). */
export interface RelayConfig {
  host: string;
  port: number;
  secure: boolean;
  starttls: 'required' | 'opportunistic' | 'never';
  auth: { user: string; pass: string } | null;
  allowSelfSignedCertificate: boolean;
}

/**
 * `smtp://user:password@host:587` (STARTTLS required; `?starttls=opportunistic|never` to
 * relax it) or `smtps://user:password@host:465` (TLS from the first byte); `?self_signed=true`
 * trusts a relay certificate no CA vouches for. User and password are URL-encoded.
 */
const relayUrl = z.string().transform((v, ctx): RelayConfig => {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL like smtp://user:password@relay.example.org:587' });
    return z.NEVER;
  }
  const secure = url.protocol === 'smtps:';
  const starttls = url.searchParams.get('starttls') ?? 'required';
  if ((!secure && url.protocol !== 'smtp:') || !url.hostname || !['required', 'opportunistic', 'never'].includes(starttls)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be smtp://… or smtps://… with a host (starttls=required|opportunistic|never)',
    });
    return z.NEVER;
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    starttls: starttls as RelayConfig['starttls'],
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : null,
    allowSelfSignedCertificate: url.searchParams.get('self_signed') === 'true',
  };
});

const EnvSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for SQLite)')
    .optional(),
  PUBLIC_URL: z.url().optional(),
  SMTP_PORT: port.default(2525),
  /** Where the SMTP listener binds; the HTTP host by default. `SMTP_LISTEN=false` turns it off. */
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_LISTEN: bool.optional(),
  /** Our name in the SMTP greeting and Received fields. */
  SMTP_HOSTNAME: z.string().min(1).optional(),
  /** Largest message accepted, in bytes (25 MiB by default). */
  SMTP_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).optional(),
  /** A certificate and key (PEM files) enable STARTTLS. */
  SMTP_TLS_CERT: z.string().min(1).optional(),
  SMTP_TLS_KEY: z.string().min(1).optional(),
  /** `user:password[,user:password]`: AUTH required (e.g. for the organization's own relay). */
  SMTP_AUTH: z
    .string()
    .regex(/^[^:,]+:[^,]+(,[^:,]+:[^,]+)*$/, 'must be user:password[,user:password…]')
    .optional(),
  /** Only these networks may connect (comma-separated CIDR ranges or addresses). */
  SMTP_ALLOWED_NETWORKS: z.string().min(1).optional(),
  /** The install-wide relay for outbound mail; organizations may set their own. */
  SMTP_RELAY_URL: relayUrl.optional(),
  SEED_DEMO: bool.optional(),
  /** Behind reverse proxies: a hop count or the proxies' addresses (rate limits, audit). */
  TRUST_PROXY: trustProxy.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export class ConfigError extends Error {}

export interface SmtpListenConfig {
  port: number;
  host: string;
  hostname: string | undefined;
  maxMessageBytes: number | undefined;
  tls: { certPath: string; keyPath: string } | null;
  auth: { username: string; password: string }[] | null;
  allowedNetworks: string[] | null;
}

export interface RateLimit {
  max: number;
  timeWindow: string | number;
}
export interface RateLimits {
  login: RateLimit;
  publicForm: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  login: { max: 10, timeWindow: '1 minute' },
  publicForm: { max: 5, timeWindow: '10 minutes' },
};

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  smtpPort: number;
  /** The inbound SMTP listener; null when switched off. */
  smtp: SmtpListenConfig | null;
  /** Outbound mail for organizations without a relay of their own; null: such mail is held. */
  relay: RelayConfig | null;
  /** undefined = seed only when the database is empty. */
  seedDemo: boolean | undefined;
  logLevel: string;
  /** false, the number of proxies in front, or their addresses and CIDR ranges. */
  trustProxy: false | number | string[];
  database: OpenOptions;
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join('.')}=${JSON.stringify(present[String(i.path[0])])}: ${i.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    publicUrl,
    smtpPort: e.SMTP_PORT,
    smtp:
      e.SMTP_LISTEN === false
        ? null
        : {
            port: e.SMTP_PORT,
            host: e.SMTP_HOST ?? e.HOST,
            hostname: e.SMTP_HOSTNAME,
            maxMessageBytes: e.SMTP_MAX_BYTES,
            tls: e.SMTP_TLS_CERT && e.SMTP_TLS_KEY ? { certPath: e.SMTP_TLS_CERT, keyPath: e.SMTP_TLS_KEY } : null,
            auth: e.SMTP_AUTH
              ? e.SMTP_AUTH.split(',').map((pair) => {
                  const i = pair.indexOf(':');
                  return { username: pair.slice(0, i), password: pair.slice(i + 1) };
                })
              : null,
            allowedNetworks: e.SMTP_ALLOWED_NETWORKS ? e.SMTP_ALLOWED_NETWORKS.split(',').map((n) => n.trim()).filter(Boolean) : null,
          },
    relay: e.SMTP_RELAY_URL ?? null,
    seedDemo: e.SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY ?? false,
    database: e.DATABASE_URL
      ? { databaseUrl: e.DATABASE_URL }
      : { sqliteFile: path.join(dataDir, 'servewell.db') },
    secureCookies: publicUrl.startsWith('https://'),
  };
}

// Small factories: each test builds its own organization, so tests never share mutable data.
import crypto from 'node:crypto';
import type { Role } from '../db/types.js';
import { addTeam, createOrganization, insertUser, setDefaultTeam } from '../admin/api.js';
import type { Actor } from '../platform/actor.js';
import { hashPassword } from '../platform/passwords.js';
import { inTransaction } from '../platform/tx.js';
import { signIn, type Client } from './client.js';
import type { Harness } from './harness.js';

export const PASSWORD = 'correct horse battery';
let hashed: Promise<string> | undefined;

export interface TestOrg {
  orgId: number;
  slug: string;
  prefix: string;
  teams: { boxOffice: number; development: number };
  users: Record<Role, { id: number; email: string; actor: Actor }>;
  /** A signed-in client per role (made on first use). */
  as(role: Role): Promise<Client>;
}

export async function makeOrg(h: Harness, opts: { prefix?: string } = {}): Promise<TestOrg> {
  hashed ??= hashPassword(PASSWORD);
  const hash = await hashed;
  const tag = crypto.randomBytes(4).toString('hex');
  const built = await inTransaction(h.p, async (ctx) => {
    const org = await createOrganization(ctx, {
      name: `Test Org ${tag}`,
      casePrefix: opts.prefix ?? 'SW',
      timeZone: 'America/Chicago',
    });
    const boxOffice = (await addTeam(ctx, org.id, 'Box office')).id;
    const development = (await addTeam(ctx, org.id, 'Development')).id;
    await setDefaultTeam(ctx.tx, org.id, boxOffice);
    const users = {} as TestOrg['users'];
    for (const role of ['admin', 'supervisor', 'associate', 'volunteer'] as const) {
      const email = `${role}-${tag}@test.servewell.org`;
      const u = await insertUser(
        ctx,
        org.id,
        { email, name: `${role[0]!.toUpperCase()}${role.slice(1)} ${tag}`, role, teamId: role === 'admin' ? null : boxOffice, password: PASSWORD },
        hash,
      );
      users[role] = {
        id: u.id,
        email,
        actor: { userId: u.id, orgId: org.id, role, name: u.name, email, teamId: u.team_id, casePrefix: org.case_prefix },
      };
    }
    return { org, boxOffice, development, users };
  });
  const clients = new Map<Role, Promise<Client>>();
  return {
    orgId: built.org.id,
    slug: built.org.slug,
    prefix: built.org.case_prefix,
    teams: { boxOffice: built.boxOffice, development: built.development },
    users: built.users,
    as(role) {
      let c = clients.get(role);
      if (!c) {
        c = signIn(h.app, built.users[role].email, PASSWORD);
        clients.set(role, c);
      }
      return c;
    },
  };
}

/** A case logged by phone through the API, as an associate would. */
export async function logCall(
  client: Client,
  overrides: Record<string, unknown> = {},
): Promise<{ ref: string; id: number; statusUrl: string }> {
  const res = await client.post('/api/cases', {
    channel: 'phone',
    patron: { name: 'Ana Abbott', phone: '(312) 555-0142' },
    subject: 'Exchange tickets for Saturday',
    body: 'Caller wants to move two tickets to Sunday.',
    ...overrides,
  });
  if (res.statusCode !== 201) throw new Error(`logCall: ${res.statusCode} ${res.body}`);
  return res.json();
}

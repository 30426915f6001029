// A few promises that fell due in the past, made through the API with the server's clock
// stepped back (then put back to real time): kept on time, kept late, and broken by the
// due-time job. Shared by the dashboard journey and its screenshots.
import type { JobRunner } from '../../src/server/platform/jobs/index.js';
import type { ShiftedClock } from '../../src/server/platform/clock.js';
import type { Client } from '../../src/server/testing/client.js';
import { logCall } from '../../src/server/testing/factories.js';
import { isoDate } from '../../src/web/features/promises/period.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

type Outcome = 'on time' | 'late' | 'broken';

export interface PastPromises {
  /** The day (YYYY-MM-DD, in the organization's zone) the two oldest fell due. */
  oldDay: string;
  dayBeforeOldDay: string;
}

/**
 * Box office: kept on time 20 days ago; kept on time, kept late and broken 2 days ago.
 * Development: kept on time 20 days ago. (The test organization is in Chicago.)
 */
export async function madePromises(o: {
  api: Client;
  clock: ShiftedClock;
  runner: JobRunner;
  teams: { boxOffice: number; development: number };
  timeZone?: string;
}): Promise<PastPromises> {
  const now = Date.now();
  const at = (t: number) => {
    o.clock.offset = t - Date.now();
  };
  async function promise(due: number, teamId: number, outcome: Outcome) {
    at(due - HOUR);
    const kase = await logCall(o.api, { teamId, patron: { name: 'Zoë Abbott', email: 'zoe@example.org' } });
    const made = await o.api.post(`/api/cases/${kase.ref}/promises`, { what: 'Call back with the refund decision', how: 'call', dueAt: due, permissionAsked: true });
    if (made.statusCode !== 201) throw new Error(`promise: ${made.statusCode} ${made.body}`);
    const id = (made.json() as { id: number }).id;
    if (outcome === 'broken') return;
    if (outcome === 'late') at(due + 2 * HOUR);
    const reply = await o.api.post(`/api/cases/${kase.ref}/entries`, { kind: 'reply', body: 'Your refund is approved.', channel: 'phone' });
    const entries = (reply.json() as { entries: Array<{ id: number; kind: string }> }).entries;
    const entryId = Math.max(...entries.filter((e) => e.kind === 'message_out').map((e) => e.id));
    const kept = await o.api.post(`/api/promises/${id}/keep`, { entryId });
    if (kept.statusCode !== 200) throw new Error(`keep: ${kept.statusCode} ${kept.body}`);
  }
  try {
    const old = now - 20 * DAY;
    const recent = now - 2 * DAY;
    await promise(old, o.teams.boxOffice, 'on time');
    await promise(old, o.teams.development, 'on time');
    await promise(recent, o.teams.boxOffice, 'on time');
    await promise(recent, o.teams.boxOffice, 'late');
    await promise(recent, o.teams.boxOffice, 'broken');
    // The due-time job marks the unkept one broken.
    at(recent + 2 * HOUR);
    await o.runner.runDue();
    const zone = o.timeZone ?? 'America/Chicago';
    return { oldDay: isoDate(old, zone), dayBeforeOldDay: isoDate(old - DAY, zone) };
  } finally {
    o.clock.offset = 0;
  }
}

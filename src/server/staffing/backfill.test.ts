import { expect, it } from 'vitest';
import { backfillArrivals } from '../db/migrations/0008_staffing.js';
import { logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';

const chicago = (iso: string) => Date.parse(`${iso}-06:00`);

describeEachDialect('migration 0008 counting the cases already there', (h) => {
  it('writes the same counts as the cases would have written arriving', async () => {
    const org = await makeOrg(h());
    const associate = await org.as('associate');
    for (const [at, channel, teamId] of [
      ['2026-11-16T09:10:00', 'phone', org.teams.boxOffice],
      ['2026-11-16T09:50:00', 'phone', org.teams.boxOffice],
      ['2026-11-16T23:59:00', 'walk_in', org.teams.boxOffice],
      ['2026-11-17T00:00:00', 'phone', org.teams.development],
      ['2026-11-17T08:00:00', 'internal', org.teams.development],
    ] as const) {
      h().clock.set(chicago(at));
      await logCall(associate, { channel, teamId, ...(channel === 'internal' ? { patron: undefined } : {}) });
    }
    const read = () =>
      h()
        .db.kysely.selectFrom('arrival_counts')
        .select(['team_id', 'channel', 'day', 'hour', 'count'])
        .orderBy('team_id')
        .orderBy('channel')
        .orderBy('day')
        .orderBy('hour')
        .execute();
    const live = await read();
    expect(live.map((r) => r.count)).toEqual([2, 1, 1]);
    await h().db.kysely.deleteFrom('arrival_counts').execute();
    await backfillArrivals(h().db.kysely);
    expect(await read()).toEqual(live);
  });
});

import { NoResultError, sql } from 'kysely';
import { expect, it } from 'vitest';
import { makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { prepared } from './prepared.js';

// One statement for both dialects: each compiles its own SQL from it.
const teamByName = prepared((db, $: { orgId: number; name: string }) =>
  db.selectFrom('teams').select(['id', 'name']).where('org_id', '=', $.orgId).where('name', '=', $.name).limit(1),
);

describeEachDialect('prepared statements', (h) => {

  it('answer like the query built afresh, for every set of values', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    for (const org of [a, b]) {
      for (const name of ['Box office', 'Development', 'No such team']) {
        const fresh = await h()
          .p.db.selectFrom('teams')
          .select(['id', 'name'])
          .where('org_id', '=', org.orgId)
          .where('name', '=', name)
          .limit(1)
          .executeTakeFirst();
        expect(await teamByName.first(h().p.db, { orgId: org.orgId, name })).toEqual(fresh);
      }
    }
    expect((await teamByName.first(h().p.db, { orgId: a.orgId, name: 'Box office' }))?.id).toBe(a.teams.boxOffice);
  });

  it('keep the constants of the query and take null values', async () => {
    const org = await makeOrg(h());
    const bump = prepared((db, $: { id: number; teamId: number | null }) =>
      db
        .updateTable('organizations')
        .set((eb) => ({ case_seq: eb('case_seq', '+', 10) }))
        .where('id', '=', $.id)
        .where(sql<boolean>`cast(${$.teamId} as integer) is null`)
        .returning('case_seq'),
    );
    const before = await h().p.db.selectFrom('organizations').select('case_seq').where('id', '=', org.orgId).executeTakeFirstOrThrow();
    expect((await bump.firstOrThrow(h().p.db, { id: org.orgId, teamId: null })).case_seq).toBe(before.case_seq + 10);
    expect(await bump.first(h().p.db, { id: org.orgId, teamId: 1 })).toBeUndefined();
  });

  it('run inside a transaction, on its connection', async () => {
    const org = await makeOrg(h());
    await expect(
      h().p.db.transaction().execute(async (tx) => {
        const found = await teamByName.firstOrThrow(tx, { orgId: org.orgId, name: 'Box office' });
        await tx.updateTable('teams').set({ name: 'Renamed' }).where('id', '=', found.id).execute();
        expect(await teamByName.first(tx, { orgId: org.orgId, name: 'Renamed' })).toEqual({ id: found.id, name: 'Renamed' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await teamByName.first(h().p.db, { orgId: org.orgId, name: 'Renamed' })).toBeUndefined();
  });

  it('refuse a value placed where it would shape the SQL', async () => {
    // The stand-in is truthy while building, so this would always filter, whatever `named` is.
    const shaped = prepared((db, $: { named: boolean; name: string }) =>
      db
        .selectFrom('teams')
        .select('id')
        .$if($.named, (qb) => qb.where('name', '=', $.name)),
    );
    await expect(shaped.all(h().p.db, { named: false, name: 'x' })).rejects.toThrow(/named did not become a bound parameter/);

    // Bound, but also shaping: caught under the tests by building afresh with the real values.
    const nullable = prepared((db, $: { name: string | null }) =>
      db
        .selectFrom('teams')
        .select('id')
        .$if($.name !== null, (qb) => qb.where('name', '=', $.name)),
    );
    expect(await nullable.all(h().p.db, { name: 'Box office' })).toEqual(expect.any(Array));
    await expect(nullable.all(h().p.db, { name: null })).rejects.toThrow(/the values shape this statement/);
  });

  it('refuse an undefined value, which Kysely would have left out of the SQL', async () => {
    const org = await makeOrg(h());
    await expect(teamByName.all(h().p.db, { orgId: org.orgId, name: undefined as unknown as string })).rejects.toThrow(
      /no value for name/,
    );
  });

  it('throw Kysely’s NoResultError when a row is required and none comes', async () => {
    await expect(teamByName.firstOrThrow(h().p.db, { orgId: 0, name: 'none' })).rejects.toBeInstanceOf(NoResultError);
  });
});

import { NoResultError, sql } from 'kysely';
import { expect, it } from 'vitest';
import { makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';
import { prepared, type Params } from './prepared.js';

// One statement for both dialects: each compiles its own SQL from it.
const teamByName = prepared((db, param: Params<{ orgId: number; name: string }>) =>
  db.selectFrom('teams').select(['id', 'name']).where('org_id', '=', param('orgId')).where('name', '=', param('name')).limit(1),
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
    const bump = prepared((db, param: Params<{ id: number; teamId: number | null }>) =>
      db
        .updateTable('organizations')
        .set((eb) => ({ case_seq: eb('case_seq', '+', 10) }))
        .where('id', '=', param('id'))
        .where(sql<boolean>`cast(${param('teamId')} as integer) is null`)
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

  it('refuse a marker that does not become a bound parameter', async () => {
    // A marker read but dropped (here: built into a subquery that is never used) would leave
    // a slot without its value: compiling refuses it.
    const dropped = prepared((db, param: Params<{ name: string }>) => {
      void db.selectFrom('teams').select('id').where('name', '=', param('name'));
      return db.selectFrom('teams').select('id');
    });
    await expect(dropped.all(h().p.db, { name: 'x' })).rejects.toThrow(/name did not become a bound parameter/);
  });

  it('give markers that are expressions, never values a builder could branch on', () => {
    prepared((db, param: Params<{ named: boolean; name: string }>) =>
      // @ts-expect-error a marker is not a boolean: it cannot choose the shape of the SQL
      db.selectFrom('teams').select('id').$if(param('named'), (qb) => qb.where('name', '=', param('name'))),
    );
    prepared((db, param: Params<{ n: number }>) =>
      // @ts-expect-error nor a number to compute with
      db.selectFrom('teams').select('id').limit(param('n') + 1),
    );
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

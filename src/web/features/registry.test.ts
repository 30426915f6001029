// The registry finds every feature's declarations: the side navigation a role gets, and what a
// live event refetches.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../contracts/live.js';
import type { Me } from '../../contracts/auth.js';
import { keys } from '../api/queries.js';
import type { LiveContext } from './define.js';
import { features, isNavLink, liveEventTypes, liveHandlersFor, navFor } from './registry.js';

const me: Me = { id: 7, email: 'sam@example.org', name: 'Sam', role: 'associate', teamId: 1 };
const ctx: LiveContext = { me, queryClient: new QueryClient() };

describe('the feature registry', () => {
  it('finds each feature in its own folder', () => {
    expect(features.map((f) => f.id).sort()).toEqual(expect.arrayContaining(['admin', 'cases', 'queue']));
  });

  it('gives each role its side navigation, in order, Admin for admins only', () => {
    const labels = (role: Me['role']) => navFor(role).filter(isNavLink).map((n) => n.label);
    expect(labels('associate')).toEqual(['Dashboard', 'My cases', 'My team', 'Unassigned', 'All open', 'All cases', 'My promises', 'Team promises', 'Patrons', 'Duplicate patrons']);
    expect(labels('admin')).toEqual(['Dashboard', 'My cases', 'My team', 'Unassigned', 'All open', 'All cases', 'My promises', 'Team promises', 'Staffing planner', 'Patrons', 'Duplicate patrons', 'Admin']);
    expect(labels('supervisor')).toEqual(['Dashboard', 'My cases', 'My team', 'Unassigned', 'All open', 'All cases', 'My promises', 'Team promises', 'Staffing planner', 'Patrons', 'Duplicate patrons']);
    expect(labels('volunteer')).not.toContain('Team promises');
    expect(labels('volunteer')).not.toContain('Dashboard');
    expect(labels('volunteer')).not.toContain('Duplicate patrons');
    expect(labels('volunteer')).toContain('Patrons');
    expect(navFor('volunteer').map((n) => n.id)).toContain('queue.views');
  });

  it('refetches the lists on any case change, and the case itself only on a colleague’s', () => {
    expect(liveEventTypes).toEqual(expect.arrayContaining(['case.changed', 'presence']));
    const changed = (byUserId: number): LiveEvent => ({
      type: 'case.changed',
      orgId: 1,
      caseId: 5,
      ref: 'sw-1005',
      teamId: 1,
      assigneeId: null,
      byUserId,
      at: 0,
    });
    const refetched = (e: LiveEvent) =>
      liveHandlersFor(e.type).flatMap((h) => (h as (e: LiveEvent, c: LiveContext) => unknown[] | void)(e, ctx) ?? []);
    expect(refetched(changed(me.id))).toEqual([keys.cases]);
    expect(refetched(changed(99))).toEqual(expect.arrayContaining([keys.cases, keys.case('SW-1005')]));
    expect(refetched({ type: 'presence', orgId: 1, caseId: 5, ref: 'SW-1005' })).toEqual([keys.presence('SW-1005')]);
    // The staffing warning refetches only that team's warning banner.
    expect(refetched({ type: 'staffing.warning', orgId: 1, teamId: 3, channel: 'phone', active: true, at: 0 })).toEqual([['staffing', 'warnings', 3]]);
  });
});

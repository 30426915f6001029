// Query keys and the reads many screens share: the session, teams, staff, counts, saved views.
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { adminApi, type StaffMember, type TeamView, type UserView } from '../../contracts/admin.js';
import { authApi, type SessionView } from '../../contracts/auth.js';
import { casesApi, type QueueCounts, type SavedView } from '../../contracts/cases.js';
import { call } from './client.js';

export const keys = {
  session: ['session'] as const,
  teams: ['teams'] as const,
  users: ['users'] as const,
  adminUsers: ['users', 'admin'] as const,
  counts: ['cases', 'counts'] as const,
  views: ['views'] as const,
  /** Everything about case lists (queue pages, filter counts) starts with this. */
  cases: ['cases'] as const,
  case: (ref: string) => ['case', ref.toUpperCase()] as const,
  presence: (ref: string) => ['presence', ref.toUpperCase()] as const,
  /** Who last changed a case while it was open here, and when (set by live events only). */
  caseChangedBy: (ref: string) => ['case-changed', ref.toUpperCase()] as const,
  patron: (id: number) => ['patron', id] as const,
};

export const sessionQuery = {
  queryKey: keys.session,
  queryFn: () => call(authApi.session),
  staleTime: 5 * 60_000,
  retry: false,
};

/** Inside the signed-in app the session is always loaded (the layout waits for it). */
export function useSession(): SessionView {
  return useSuspenseQuery(sessionQuery).data;
}

export function useTeams(): TeamView[] {
  return (
    useQuery({
      queryKey: keys.teams,
      queryFn: () => call(adminApi.teams),
      staleTime: 60_000,
    }).data?.items ?? []
  );
}

/** Colleagues for pickers and names (every role): no emails, no lock state. */
export function useStaff(): StaffMember[] {
  return (
    useQuery({
      queryKey: keys.users,
      queryFn: () => call(adminApi.users),
      staleTime: 60_000,
    }).data?.items ?? []
  );
}

/** Every user in full, for the admin screen. */
export function useAdminUsers(): UserView[] {
  return (
    useQuery({
      queryKey: keys.adminUsers,
      queryFn: () => call(adminApi.adminUsers),
      staleTime: 60_000,
    }).data?.items ?? []
  );
}

export function useCounts(): QueueCounts | undefined {
  return useQuery({
    queryKey: keys.counts,
    queryFn: () => call(casesApi.counts),
    staleTime: 15_000,
  }).data;
}

export function useSavedViews(): SavedView[] {
  return (
    useQuery({
      queryKey: keys.views,
      queryFn: () => call(casesApi.views),
      staleTime: 60_000,
    }).data?.items ?? []
  );
}

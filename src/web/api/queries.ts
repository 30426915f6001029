// Query keys and the reads many screens share: the session, teams, staff, counts, saved views.
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import type { StaffMember, TeamView, UserView } from '../../contracts/admin.js';
import type { SessionView } from '../../contracts/auth.js';
import type { QueueCounts, SavedView } from '../../contracts/cases.js';
import { get } from './client.js';

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
  patron: (id: number) => ['patron', id] as const,
};

export const sessionQuery = {
  queryKey: keys.session,
  queryFn: () => get<SessionView>('/api/session'),
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
      queryFn: () => get<{ items: TeamView[] }>('/api/teams'),
      staleTime: 60_000,
    }).data?.items ?? []
  );
}

/** Colleagues for pickers and names (every role): no emails, no lock state. */
export function useStaff(): StaffMember[] {
  return (
    useQuery({
      queryKey: keys.users,
      queryFn: () => get<{ items: StaffMember[] }>('/api/users'),
      staleTime: 60_000,
    }).data?.items ?? []
  );
}

/** Every user in full, for the admin screen. */
export function useAdminUsers(): UserView[] {
  return (
    useQuery({
      queryKey: keys.adminUsers,
      queryFn: () => get<{ items: UserView[] }>('/api/admin/users'),
      staleTime: 60_000,
    }).data?.items ?? []
  );
}

export function useCounts(): QueueCounts | undefined {
  return useQuery({
    queryKey: keys.counts,
    queryFn: () => get<QueueCounts>('/api/cases/counts'),
    staleTime: 15_000,
  }).data;
}

export function useSavedViews(): SavedView[] {
  return (
    useQuery({
      queryKey: keys.views,
      queryFn: () => get<{ items: SavedView[] }>('/api/views'),
      staleTime: 60_000,
    }).data?.items ?? []
  );
}

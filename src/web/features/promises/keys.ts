// Query keys of promises and notifications: every promise read starts with ['promises'], so a
// live 'promise.changed' refetches whatever of them is on screen.
export const promiseKeys = {
  all: ['promises'] as const,
  mine: ['promises', 'mine'] as const,
  mineLater: (from: string) => ['promises', 'mine', 'later', from] as const,
  team: (teamId: number | null) => ['promises', 'team', teamId] as const,
  onCase: (ref: string) => ['promises', 'case', ref.toUpperCase()] as const,
  onPatron: (id: number) => ['promises', 'patron', id] as const,
  rate: (scope: string, id: number | null, from: number, to: number) => ['promises', 'rate', scope, id, from, to] as const,
  settings: (teamId: number) => ['promises', 'settings', teamId] as const,
};
export const notificationKeys = { all: ['notifications'] as const };

// Query keys of the staffing screens.
export const staffingKeys = {
  all: ['staffing'] as const,
  settings: (teamId: number) => ['staffing', 'settings', teamId] as const,
  plan: (teamId: number, channel: string, week: string) => ['staffing', 'plan', teamId, channel, week] as const,
  roster: (teamId: number) => ['staffing', 'roster', teamId] as const,
  slots: (teamId: number, from: string) => ['staffing', 'slots', teamId, from] as const,
  warnings: (teamId: number) => ['staffing', 'warnings', teamId] as const,
  due: (ids: string) => ['staffing', 'due', ids] as const,
  bookings: (ref: string) => ['staffing', 'bookings', ref.toUpperCase()] as const,
};

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const WEEKDAYS_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`);

// Dates and numbers in the organization's locale and time zone, never the browser's.
import { useSyncExternalStore } from 'react';
import { formatDistanceStrict } from 'date-fns';

export { formatters, type Formatters, type Place } from './formatters.js';

/** "3 hours ago": relative words are zone-free, the absolute time goes in the tooltip. */
export function ago(ms: number, now: number): string {
  if (now - ms < 45_000) return 'just now';
  return `${formatDistanceStrict(ms, now)} ago`;
}

/** A duration in words, for first response and resolution times. */
export function duration(ms: number): string {
  if (ms < 60_000) return 'under a minute';
  return formatDistanceStrict(0, ms);
}

// One shared clock, ticking every 30 s, so relative times stay fresh without each component
// calling Date.now() while rendering.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    listeners.forEach((l) => l());
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

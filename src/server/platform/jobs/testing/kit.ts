// Small helpers for the job tests: a logger that keeps what it was told, waiting for a
// condition, and a gate a handler can wait on.
import type { Logger } from '../listener.js';

export function quietLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (_obj, msg) => void lines.push(`warn: ${msg ?? ''}`),
    error: (_obj, msg) => void lines.push(`error: ${msg ?? ''}`),
  };
}

export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function gate(): { open(): void; wait: Promise<void> } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { open, wait };
}

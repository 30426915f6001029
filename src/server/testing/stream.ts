// A real SSE connection to a listening app, as a browser's EventSource makes: the live tests'
// way of being a browser without one (live updates, promises across two instances).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveEvent } from '../../contracts/live.js';
import type { App } from '../platform/http/types.js';

/** A real SSE connection to a listening app, as a browser's EventSource would make. */
export async function openStream(app: App, cookies: Record<string, string>) {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const events: LiveEvent[] = [];
  const waiters: Array<() => void> = [];
  const req = http.get({
    host: '127.0.0.1',
    port,
    path: '/api/events',
    headers: { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  let buffer = '';
  const ended = new Promise<void>((resolve) => res.on('end', resolve));
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data) {
        events.push(JSON.parse(data.slice(6)) as LiveEvent);
        waiters.splice(0).forEach((w) => w());
      }
    }
  });
  return {
    status: res.statusCode,
    contentType: res.headers['content-type'],
    nosniff: res.headers['x-content-type-options'],
    events,
    async waitFor(pred: (e: LiveEvent) => boolean, ms = 5000): Promise<LiveEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, Math.min(left, 100));
        });
      }
    },
    /** Resolves when the server ends the stream. */
    ended: (ms: number) =>
      Promise.race([
        ended,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`stream still open after ${ms} ms`)), ms)),
      ]),
    close: () => req.destroy(),
  };
}

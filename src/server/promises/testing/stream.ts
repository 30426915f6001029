// A real SSE connection to a listening app, as a browser's EventSource makes (the live tests'
// way of being a browser without one).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveEvent } from '../../../contracts/live.js';
import type { App } from '../../platform/http/types.js';

export async function openStream(app: App, cookies: Record<string, string>) {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const events: LiveEvent[] = [];
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
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice(6)) as LiveEvent);
    }
  });
  return { status: res.statusCode, events, close: () => req.destroy() };
}

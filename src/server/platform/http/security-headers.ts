// Security headers, from helmet's policy, worked out once at start. @fastify/helmet rebuilds
// helmet's middleware for every request (about a tenth of a queue page's CPU); our policy is
// static (no per-request nonces), so the headers it produces are too.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string | number) =>
      headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  // A directive given as a function (a per-request nonce, say) would be frozen at its first
  // value here: such a policy needs per-request headers, so it is refused.
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (
    directives.some(
      (v) => v !== null && typeof v === 'object' && [...v].some((x) => typeof x === 'function'),
    )
  ) {
    throw new Error(
      'securityHeaders: a directive is a function; this policy cannot be worked out once',
    );
  }
  let done = false;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('securityHeaders: helmet did not finish synchronously');
  return Object.fromEntries(headers);
}

// A browser-like HTTP client over app.inject(): keeps cookies, fetches and sends the CSRF token.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../platform/http/types.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class Client {
  readonly cookies: Record<string, string> = {};
  private csrf: Promise<string> | undefined;

  constructor(
    private readonly app: App,
    private readonly ip = '127.0.0.1',
  ) {}

  async request(method: Method, url: string, body?: unknown, opts: { csrf?: boolean } = {}) {
    const headers: Record<string, string> = {};
    if (method !== 'GET' && opts.csrf !== false) headers['x-csrf-token'] = await this.csrfToken();
    const res = await this.app.inject({
      method,
      url,
      cookies: this.cookies,
      headers,
      remoteAddress: this.ip,
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });
    this.keep(res);
    return res;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  put = (url: string, body?: unknown) => this.request('PUT', url, body ?? {});
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body ?? {});
  delete = (url: string) => this.request('DELETE', url);

  /** One token per client, fetched once even when requests start in parallel. */
  csrfToken(): Promise<string> {
    this.csrf ??= this.app.inject({ method: 'GET', url: '/api/csrf', cookies: this.cookies }).then((res) => {
      this.keep(res);
      return (res.json() as { token: string }).token;
    });
    return this.csrf;
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (expired || c.value === '') delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
  }
}

export async function signIn(app: App, email: string, password: string, ip?: string): Promise<Client> {
  const client = new Client(app, ip);
  const res = await client.post('/api/auth/login', { email, password });
  if (res.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  return client;
}

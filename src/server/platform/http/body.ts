// JSON bodies, bounded before they are parsed. No request of ours nests deeper than a few
// levels; a body of 5,000 `[` cost ~100 ms of CPU and ended in a 500 from the recursive checks
// that follow parsing. One linear scan refuses it first, with a 400 that names the problem.
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors.js';

/** Deeper than any request body we accept (a saved view's filters are three levels). */
export const MAX_JSON_DEPTH = 32;

/** How deeply a JSON text nests arrays and objects, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

export function installJsonBodyParser(app: FastifyInstance): void {
  // Fastify's own parser, with its guard against prototype poisoning, after our bound.
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(badRequest(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`), undefined);
      return;
    }
    parse(request, text, done);
  });
}

// The architecture rules in eslint.config.js, proved to bite: each snippet breaks one rule in
// the place it matters, and the same snippet is fine where the rule allows it. Also: no import
// cycle anywhere in the server.
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the architecture rules', () => {
  const query = "export const f = (db: any) => db.selectFrom('cases').selectAll().execute();\n";

  it('keep SQL in queries.ts files', async () => {
    expect(await ruleIds('src/server/cases/service.ts', query)).toContain('no-restricted-syntax');
    expect(await ruleIds('src/server/cases/queries.ts', query)).not.toContain('no-restricted-syntax');
    const tagged = "import { sql } from 'kysely';\nexport const q = sql`select 1`;\n";
    expect(await ruleIds('src/server/patrons/service.ts', tagged)).toContain('no-restricted-imports');
    expect(await ruleIds('src/server/patrons/queries.ts', tagged)).not.toContain('no-restricted-imports');
    const prep = "import { prepared } from '../db/prepared.js';\nexport const x = prepared;\n";
    expect(await ruleIds('src/server/admin/service.ts', prep)).toContain('no-restricted-imports');
    expect(await ruleIds('src/server/admin/queries.ts', prep)).not.toContain('no-restricted-imports');
  });

  it('let a domain reach another only through its api.ts', async () => {
    const deep = "import { openCase } from '../cases/lifecycle.js';\nexport const x = openCase;\n";
    const viaApi = "import { openCase } from '../cases/api.js';\nexport const x = openCase;\n";
    expect(await ruleIds('src/server/helpcenter/service.ts', deep)).toContain('no-restricted-imports');
    expect(await ruleIds('src/server/helpcenter/service.ts', viaApi)).toEqual([]);
    expect(await ruleIds('src/server/helpcenter/queries.ts', deep)).toContain('no-restricted-imports');
  });

  it('keep the platform kernel free of Fastify and of every domain', async () => {
    const fastify = "import type { FastifyInstance } from 'fastify';\nexport type X = FastifyInstance;\n";
    expect(await ruleIds('src/server/platform/audit.ts', fastify)).toContain('no-restricted-imports');
    expect(await ruleIds('src/server/platform/http/errors.ts', fastify)).toEqual([]);
    const domain = "import { openCase } from '../cases/api.js';\nexport const x = openCase;\n";
    expect(await ruleIds('src/server/platform/events.ts', domain)).toContain('no-restricted-imports');
    expect(await ruleIds('src/server/platform/http/route.ts', "import { x } from '../../cases/api.js';\nexport const y = x;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('refuse a read through the database inside a transaction', async () => {
    const code =
      "import { inTransaction } from '../platform/tx.js';\n" +
      'export const f = (p: any) => inTransaction(p, async (ctx) => { await p.db; return ctx; });\n';
    expect(await ruleIds('src/server/cases/service.ts', code)).toContain('no-restricted-syntax');
    const fine =
      "import { inTransaction } from '../platform/tx.js';\n" +
      'export const f = (p: never) => inTransaction(p, async (ctx) => ctx.tx);\n';
    expect(await ruleIds('src/server/cases/service.ts', fine)).toEqual([]);
  });
});

describe('the server’s imports', () => {
  it('form no cycle', () => {
    const root = path.resolve('src');
    const files = fs
      .readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => path.join(root, f));
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const deps = [...text.matchAll(/^(?:import|export)\s(?!type\s)[^'"]*?from\s+'(\.[^']+)'/gm)]
        .map((m) => path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')))
        .map((d) => (fs.existsSync(d) ? d : d.replace(/\.ts$/, '.tsx')))
        .filter((d) => fs.existsSync(d));
      graph.set(file, deps);
    }
    // Depth-first search for a back edge; type-only imports vanish at run time and are skipped.
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') cycles.push([...trail, f, d].map((x) => path.relative(root, x)).join(' → '));
        else if (!state.has(d)) visit(d, [...trail, f]);
      }
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

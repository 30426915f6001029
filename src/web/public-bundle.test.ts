// What a patron's first load carries: the public entry (help.html) and every chunk it imports
// statically, read from a production build. No zod, no router, nothing of the desk, and within
// issue 9's bar of 100 kB of brotli-compressed JavaScript (bench/web.ts measures it in Chromium).
import zlib from 'node:zlib';
import { build, type Rollup } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';

type Chunk = Rollup.OutputChunk;

let chunks: Map<string, Chunk>;

/** The chunks an entry loads before it runs: itself and its static imports, transitively. */
function firstLoad(entryName: string): Chunk[] {
  const entry = [...chunks.values()].find((c) => c.isEntry && c.name === entryName);
  if (!entry) throw new Error(`no entry ${entryName}`);
  const seen = new Map<string, Chunk>();
  const walk = (c: Chunk) => {
    if (seen.has(c.fileName)) return;
    seen.set(c.fileName, c);
    for (const f of c.imports) walk(chunks.get(f)!);
  };
  walk(entry);
  return [...seen.values()];
}

const modulesOf = (load: Chunk[]) => load.flatMap((c) => Object.keys(c.modules));
const brotli = (code: string) =>
  zlib.brotliCompressSync(code, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY } }).length;

describe('the public pages’ first load', () => {
  beforeAll(async () => {
    // The production build, as dist/web holds it (under the test runner NODE_ENV is "test").
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const out = await build({ configFile: 'vite.config.ts', mode: 'production', logLevel: 'silent', build: { write: false } });
      const outputs = (Array.isArray(out) ? out : [out]) as Rollup.RollupOutput[];
      chunks = new Map(
        outputs.flatMap((o) => o.output).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])),
      );
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }, 120_000);

  it('holds no zod, no router and nothing of the desk', () => {
    const modules = modulesOf(firstLoad('help'));
    expect(modules.some((m) => m.includes('/src/web/features/public/'))).toBe(true);
    const unwanted = modules.filter((m) =>
      /node_modules\/(zod|@tanstack\/(react-router|router-core|history))\/|\/src\/web\/(router|main)\.tsx$|\/src\/web\/features\/(?!public\/|staffing\/(PublicBookPage|BookCallbackLink)\.tsx)/.test(
        m,
      ),
    );
    expect(unwanted).toEqual([]);
  });

  it('stays within 100 kB of brotli-compressed JavaScript', () => {
    const bytes = firstLoad('help').reduce((n, c) => n + brotli(c.code), 0);
    expect(bytes).toBeLessThanOrEqual(100_000);
  });

  it('leaves the desk its router', () => {
    const modules = modulesOf(firstLoad('index'));
    expect(modules.some((m) => m.includes('node_modules/@tanstack/react-router/'))).toBe(true);
  });
});

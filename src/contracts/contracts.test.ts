// Every zod schema in the contracts exports its output type (`X`) and its input type
// (`XInput`), so that server and web name a shape the same way and never write it twice.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';

const dir = path.resolve('src/contracts');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('the contracts', () => {
  it.each(files)('%s exports the output and input type of every schema', async (file) => {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
    const schemas = Object.entries(mod)
      .filter(([name, v]) => /^[A-Z]/.test(name) && v instanceof z.ZodType)
      .map(([name]) => name);
    const missing = schemas.flatMap((name) => [
      ...(new RegExp(`export type ${name}\\b`).test(source) ? [] : [name]),
      ...(new RegExp(`export type ${name}Input\\b`).test(source) ? [] : [`${name}Input`]),
    ]);
    expect(missing).toEqual([]);
  });
});

// Filters kept in the address bar, read with the contract's own schema one key at a time: a
// key that does not parse (a hand-edited or outdated link) is dropped, the rest still apply.
import type { z } from 'zod';

export function parseEach<S extends z.ZodObject>(schema: S, raw: Record<string, unknown>): Partial<z.output<S>> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    let parsed = field.safeParse(value);
    // The router reads `?q=1042` as the number 1042; a text field wants it back as text.
    if (!parsed.success && (typeof value === 'number' || typeof value === 'boolean')) parsed = field.safeParse(String(value));
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out as Partial<z.output<S>>;
}

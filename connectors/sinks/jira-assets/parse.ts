import type { z } from 'zod';
import { formatPath } from '../../../src/config/yaml-file';
import { MalformedResponseError } from '../../../src/errors';

/**
 * Validate an Assets answer. A failure names the sink, the call, the object
 * (its key, when the bad value sits inside one) and the field.
 */
export function parseWire<S extends z.ZodType>(schema: S, data: unknown, at: { connector: string; what: string }): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const field = formatPath(path, '(body)');
  const item = objectNamed(data, path);
  throw new MalformedResponseError(
    `${at.connector}: ${at.what}: malformed response${item ? ` for object ${item}` : ''}: ${field}: ${issue?.message ?? 'unexpected shape'}`,
    { connector: at.connector, field, ...(item ? { item } : {}) },
  );
}

/** The key (or id) of the object a failing path runs through, e.g. values[3] → "MLI-12". */
function objectNamed(data: unknown, path: ReadonlyArray<PropertyKey>): string | undefined {
  let cur: unknown = data;
  for (const [i, step] of path.entries()) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[step];
    if (typeof step === 'number' && i === 1 && cur && typeof cur === 'object') {
      const o = cur as Record<string, unknown>;
      const name = o.objectKey ?? o.id;
      return typeof name === 'string' || typeof name === 'number' ? String(name) : undefined;
    }
  }
  return undefined;
}

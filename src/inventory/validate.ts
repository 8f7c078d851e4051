import { MalformedResponseError } from '../errors';
import { inventoryItemSchema, type InventoryItem } from './item';

/**
 * Validate an item a source built from an API response. The error names the
 * source, the item and the offending field so an operator can find the record.
 */
export function validateItem(source: string, raw: unknown): InventoryItem {
  const parsed = inventoryItemSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? issue.path.join('.') || '(item)' : '(item)';
  const item = describeRaw(raw);
  throw new MalformedResponseError(
    `source ${source}: item ${item}: field ${field}: ${issue?.message ?? 'invalid'}`,
    { connector: source, item, field },
  );
}

function describeRaw(raw: unknown): string {
  if (raw && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    if (typeof r.key === 'string') return r.key;
    if (typeof r.name === 'string') return r.name;
  }
  return '(unknown)';
}

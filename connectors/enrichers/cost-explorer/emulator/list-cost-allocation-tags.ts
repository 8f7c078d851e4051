import { z } from 'zod';
import type { CostStore } from './store';
import { AwsFault } from '../../../aws-kit/emulator/identities';

const input = z.object({
  Status: z.enum(['Active', 'Inactive']).optional(),
  TagKeys: z.array(z.string().min(1)).max(100).optional(),
  Type: z.enum(['AWSGenerated', 'UserDefined']).optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(1000).optional(),
});

/** ListCostAllocationTags: the user-defined tag keys Billing knows, and whether each is activated. */
export function listCostAllocationTags(store: CostStore, body: unknown): unknown {
  const parsed = input.safeParse(body ?? {});
  if (!parsed.success) throw new AwsFault('ValidationException', `1 validation error detected: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const req = parsed.data;
  const all = store
    .tagKeys()
    .filter((t) => !req.TagKeys || req.TagKeys.includes(t.key))
    .map((t) => ({
      TagKey: t.key,
      Type: 'UserDefined',
      Status: t.activatedOn ? 'Active' : 'Inactive',
      ...(t.activatedOn ? { LastUpdatedDate: `${t.activatedOn}T00:00:00Z` } : {}),
    }))
    .filter((t) => (req.Type ?? 'UserDefined') === 'UserDefined' && (!req.Status || t.Status === req.Status));
  const offset = req.NextToken ? Number(Buffer.from(req.NextToken, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > all.length) throw new AwsFault('InvalidNextTokenException', 'The pagination token is invalid.');
  const end = offset + (req.MaxResults ?? 100);
  return { CostAllocationTags: all.slice(offset, end), ...(end < all.length ? { NextToken: Buffer.from(String(end)).toString('base64url') } : {}) };
}

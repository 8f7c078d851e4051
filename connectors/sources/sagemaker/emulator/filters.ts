import { AwsFault } from '../../../aws-kit/emulator';
import { optionalString } from './input';

type Input = Record<string, unknown>;

interface Filterable {
  name: string;
  createdAt: number;
  modifiedAt?: number;
  status?: string;
}

/**
 * The filters List operations share: NameContains (case-insensitive),
 * CreationTime/LastModifiedTime Before/After (epoch seconds, exclusive) and
 * StatusEquals. With none given, the sorted list is handed back as it is.
 */
export function applyFilters<T>(items: T[], input: Input, view: (t: T) => Filterable): T[] {
  const contains = optionalString(input, 'NameContains')?.toLowerCase();
  const status = optionalString(input, 'StatusEquals');
  const bounds = (['CreationTimeAfter', 'CreationTimeBefore', 'LastModifiedTimeAfter', 'LastModifiedTimeBefore'] as const).map((m) => [m, epochMs(input, m)] as const);
  const active = bounds.filter(([, v]) => v !== undefined);
  if (contains === undefined && status === undefined && active.length === 0) return items;
  return items.filter((t) => {
    const f = view(t);
    if (contains !== undefined && !f.name.toLowerCase().includes(contains)) return false;
    if (status !== undefined && f.status !== status) return false;
    return active.every(([member, at]) => {
      const value = member.startsWith('Creation') ? f.createdAt : (f.modifiedAt ?? f.createdAt);
      return member.endsWith('After') ? value > (at as number) : value < (at as number);
    });
  });
}

function epochMs(input: Input, member: string): number | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new AwsFault('SerializationException', `${member}: expected a timestamp in epoch seconds`);
  return v * 1000;
}

import { LeanDesired, LeanRecord } from '../engine/lean-record';
import type { DesiredRecord, SinkRecord } from '../engine/types';
import type { Link } from '../state/links';

/**
 * A record an incremental read did not return, as state remembers it: what
 * masync last wrote or confirmed, read from state only if something looks at
 * its values. When the mapping wants exactly that now, it is the desired
 * record's copy too, and whether it is retired is known from that record.
 */
export function rememberedRecord(link: Link, desired: DesiredRecord | undefined, retiredFields: Readonly<Record<string, string>>): SinkRecord {
  const retired = desired instanceof LeanDesired && desired.copyOf === link ? desired.retired : undefined;
  return new LeanRecord(link.recordId, link.class, link.identity, link, undefined, { fields: retiredFields, retired }, true);
}

import type { DesiredRecord, SinkRecord } from '../engine/types';
import { appliedEquals, type Link } from '../state/links';

/**
 * A record an incremental read did not return, as state remembers it: what
 * masync last wrote or confirmed. When that equals what the mapping wants
 * now, the desired fields stand in for it, so a no-op run never unpacks them.
 */
export function rememberedRecord(link: Link, desired: DesiredRecord | undefined): SinkRecord {
  const fields = desired && appliedEquals(link, desired.fields) ? desired.fields : link.applied;
  return { id: link.recordId, class: link.class, identity: link.identity, fields };
}

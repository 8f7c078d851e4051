import type { BoundInput, CallBound } from '../../../src/sandbox/part';
import { assetsCallBound, type AssetsRunShape } from './call-count';
import type { JiraAssetsEmulator } from './emulator';
import type { MappedShape } from './mapped';
import { ATTR } from './wire';

export interface BoundSettings {
  deployment: 'cloud' | 'datacenter';
  schema: string;
  managedBy: string;
  /** The most objects Assets returns in one AQL page. */
  pageSize: number;
  /** Requests the sink's HTTP client keeps in flight. */
  inFlight: number;
}

/**
 * The fewest calls a run could make over what the emulator holds: objects
 * of each mapped type marked as masync's that changed in the run's read
 * window (the run before's start until this run's), the distinct owners on
 * them, and the references on objects this run created (which those
 * creates carry, at no write of their own).
 */
export function assetsSandboxBound(emu: JiraAssetsEmulator, shape: MappedShape, s: BoundSettings, input: BoundInput): CallBound {
  const since = input.since?.getTime() ?? -Infinity;
  const until = input.until?.getTime() ?? Infinity;
  const schema = [...emu.catalog.schemas.values()].find((x) => x.name === s.schema);
  const objectsPerType: number[] = [];
  const owners = new Set<string>();
  let foldable = 0;
  for (const mt of shape.types.values()) {
    const type = schema && emu.catalog.typesOf(schema.id).find((t) => t.name === mt.name);
    const ownership = type && emu.catalog.attrNamed(type.id, shape.ownership);
    const attrs = type ? emu.catalog.attrsOf(type.id) : [];
    const users = attrs.filter((a) => a.type === ATTR.user).map((a) => a.id);
    const refs = [...mt.references.values()].flatMap((r) => (type ? [emu.catalog.attrNamed(type.id, r.attribute)?.id ?? ''] : []));
    let read = 0;
    for (const id of type ? emu.objects.ofType(type.id) : []) {
      const obj = emu.objects.get(id);
      if (!ownership || obj.values.get(ownership.id)?.[0] !== s.managedBy) continue;
      if (obj.created < until && obj.updated >= since && obj.updated < until) read++;
      for (const u of users) for (const v of obj.values.get(u) ?? []) owners.add(v);
      if (obj.created >= until) for (const r of refs) foldable += obj.values.get(r)?.length ?? 0;
    }
    objectsPerType.push(read);
  }
  const writes = input.writes ?? { records: 0, relations: 0 };
  const run: AssetsRunShape = { deployment: s.deployment, warm: input.warm, objectsPerType, pageSize: s.pageSize, owners: owners.size, writes, foldable };
  const count = assetsCallBound(run, input.concurrency ?? s.inFlight);
  const separate = writes.relations - Math.min(foldable, writes.relations);
  return {
    calls: count.reads + count.writes,
    writeCalls: count.writes,
    path: count.path,
    basis:
      `assetsCallBound: reads ${run.deployment === 'cloud' && !run.warm ? 'workspace 1 + ' : ''}catalog ${2 + objectsPerType.length} (schemas, types, attributes of each mapped type; read every run, as an attribute made again has a new id)` +
      ` + AQL ${objectsPerType.join('/')} managed object(s) changed ${input.since ? 'since the run before began' : 'in all'} at ${s.pageSize}/page + ${owners.size} owner search(es)` +
      `; writes: no batch write in Assets, ${writes.records} record call(s) + ${separate} relation update(s)` +
      (foldable > 0 ? `; ${Math.min(foldable, writes.relations)} reference(s) on objects this run created, carried in their creates` : ''),
  };
}

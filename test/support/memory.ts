import type { ApplyResult, CheckResult, CreateWrite, RelateWrite, RunContext, Sink, SinkRecord, SinkRelation, SinkWrite, Source } from '../../src/engine/types';
import type { InventoryItem, ItemKind, ModelItem, ModelVersionItem } from '../../src/inventory';
import { modelItem, versionItem } from './items';

/** A source over a list the test controls; `fail` makes the next list throw halfway. */
export class MemorySource implements Source {
  readonly type = 'memory';
  items: InventoryItem[] = [];
  fail = false;
  constructor(readonly name: string) {}
  kindOfKey(key: string): ItemKind | undefined {
    if (!key.startsWith(`mem://${this.name}/`)) return undefined;
    return key.includes('/versions/') ? 'model_version' : 'model';
  }
  async *list(): AsyncIterable<InventoryItem> {
    for (const [i, item] of this.items.entries()) {
      if (this.fail && i >= this.items.length / 2) throw new Error(`${this.name} went away`);
      yield item;
    }
  }
  async check(): Promise<CheckResult[]> {
    return [{ check: 'reachable', ok: true }];
  }
}

/** A sink in memory that keeps every record it was ever given; it has no delete. */
export class MemorySink implements Sink {
  readonly type = 'memory';
  readonly relationStorage = 'rows' as const;
  readonly identity = { field: 'ext_key', of: (key: string) => key };
  readonly records = new Map<string, SinkRecord>();
  readonly relations = new Map<string, SinkRelation>();
  readonly writes: SinkWrite[] = [];
  /** Throw on the write with this index (0-based), to simulate a crash or an API failure. */
  failAtWrite?: number;
  private next = 1;
  constructor(readonly name: string) {}
  ownershipFields() {
    return { owner: 'masync' };
  }
  retiredFields() {
    return { status: 'retired' };
  }
  async *readManaged(): AsyncIterable<SinkRecord> {
    for (const r of this.records.values()) if (r.fields.owner === 'masync') yield { ...r, fields: { ...r.fields } };
  }
  async *readRelations(): AsyncIterable<SinkRelation> {
    yield* this.relations.values();
  }
  async apply(write: SinkWrite, _ctx: RunContext): Promise<ApplyResult> {
    if (this.failAtWrite === this.writes.length) {
      this.failAtWrite = undefined;
      throw new Error('sink unavailable');
    }
    this.writes.push(write);
    switch (write.op) {
      case 'create': {
        const id = `r${this.next++}`;
        this.records.set(id, { id, class: write.class, identity: write.fields[this.identity.field] ?? '', fields: { ...write.fields } });
        return { id };
      }
      case 'update':
      case 'retire': {
        const rec = this.records.get(write.id);
        if (!rec) throw new Error(`no record ${write.id}`);
        Object.assign(rec.fields, write.fields);
        return { id: write.id };
      }
      case 'relate': {
        const id = `rel${this.next++}`;
        this.relations.set(id, { id, type: write.type, parentId: write.parentId, childId: write.childId });
        return { id };
      }
      case 'unrelate':
        this.relations.delete(write.id);
        return { id: write.id };
    }
  }
  async lookup(write: CreateWrite | RelateWrite): Promise<string | undefined> {
    if (write.op === 'create') {
      const identity = write.fields[this.identity.field];
      for (const r of this.records.values()) if (r.identity === identity && r.fields.owner === 'masync' && r.fields.status !== 'retired') return r.id;
      return undefined;
    }
    for (const r of this.relations.values()) if (r.type === write.type && r.parentId === write.parentId && r.childId === write.childId) return r.id;
    return undefined;
  }
  async check(): Promise<CheckResult[]> {
    return [{ check: 'reachable', ok: true }];
  }
  /** A record a person created by hand, not owned by masync. */
  addForeign(fields: Record<string, string>): string {
    const id = `r${this.next++}`;
    this.records.set(id, { id, class: 'thing', identity: fields[this.identity.field] ?? '', fields });
    return id;
  }
}

export function model(source: string, name: string, extra: Partial<ModelItem> = {}): InventoryItem {
  return modelItem(`mem://${source}/models/${name}`, source, name, extra);
}

export function version(source: string, name: string, v: string, extra: Partial<ModelVersionItem> = {}): InventoryItem {
  return versionItem(model(source, name), v, extra);
}

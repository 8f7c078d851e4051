import { PerRun, RunMemo } from '../../../src/engine/run-memo';
import type { SinkRelation } from '../../../src/engine/types';
import type { AssetObject } from './wire';

/**
 * What the sink learns during one run, beyond what every connector's RunMemo
 * holds (the catalog of types and attributes read once, warnings given):
 * user lookups, object keys (a reference is written by key, the engine speaks
 * ids), and the relations the last read saw.
 */
export class RunState extends RunMemo {
  /** objectKey by object id, from every object read or written this run. */
  readonly keys = new Map<string, string>();
  /** Object type id by object id, alongside `keys`: what a reference to it may be carried in. */
  readonly typeIds = new Map<string, string>();
  /** Ids of objects known to be masync's this run (read as managed, or created). */
  readonly managed = new Set<string>();
  /** Objects as this run last wrote them (create or update answers), so a relate on them needs no read first. */
  readonly written = new Map<string, AssetObject>();
  /** User lookups: value → account id (Cloud) or user key (DC) and display name, or null when it names nobody. */
  readonly users = new Map<string, { id: string; label: string } | null>();
  /** Relations the last readManaged saw, by its changedSince; any write drops them. */
  relations?: { since: string; list: SinkRelation[] };
  /** Writes sent this run; a read that saw one land while it ran keeps no relations. */
  writes = 0;
  private readonly queues = new Map<string, Promise<unknown>>();

  /**
   * Run `fn` after every earlier call for the same key has settled. Two
   * relates on one holder would otherwise each read its values and each
   * write back its own list, and the later would undo the earlier.
   */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  remember(obj: AssetObject): void {
    this.keys.set(obj.id, obj.objectKey);
    this.typeIds.set(obj.id, obj.objectType.id);
  }

  /** A write is about to be sent: what reads kept may no longer be true. */
  writing(): void {
    this.writes++;
    this.relations = undefined;
  }

  /** What Assets answered to a write: the object as it now stands. */
  wrote(obj: AssetObject): void {
    this.remember(obj);
    this.written.set(obj.id, obj);
  }
}

export class RunStates extends PerRun<RunState> {
  constructor() {
    super(() => new RunState());
  }
}

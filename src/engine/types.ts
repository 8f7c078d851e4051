import type { InventoryItem, ItemKind } from '../inventory';
import type { Logger } from '../log/logger';

/** A clock the engine can be handed in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Counts work done in a long phase; the CLI draws it, tests ignore it. */
export interface Progress {
  start(phase: string, total?: number): void;
  tick(n?: number): void;
  done(): void;
}

export const silentProgress: Progress = { start() {}, tick() {}, done() {} };

/** What every connector call gets: who to log to, what time it is, when to stop. */
export interface RunContext {
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  progress: Progress;
}

/** One line of `masync doctor`. */
export interface CheckResult {
  /** What was checked, e.g. "credentials", "class cmdb_ci_ai_model_deployment exists". */
  check: string;
  ok: boolean;
  detail?: string;
  /** How to fix it, when not ok. */
  hint?: string;
}

/**
 * A platform that holds models. Reads only; never writes to the platform.
 */
export interface Source {
  readonly name: string;
  readonly type: string;
  /**
   * The kind of item a key of this source names (from the key's shape), or undefined when
   * the key is not this source's. Scopes retirement to what the source owns.
   */
  kindOfKey(key: string): ItemKind | undefined;
  /** Stream every item, page by page. Throws on any failure: a partial read must never look complete. */
  list(ctx: RunContext): AsyncIterable<InventoryItem>;
  /** Reachability, credentials and permissions, for `masync doctor`. */
  check(ctx: RunContext): Promise<CheckResult[]>;
}

/** A record in a sink as masync reads it back. All values are the sink's own strings. */
export interface SinkRecord {
  /** The sink's id (ServiceNow sys_id, Jira object id). */
  id: string;
  class: string;
  /** Value of the identity field: what `Sink.identity.of(key)` produced when masync created it. */
  identity: string;
  /** Current values of every field the mapping writes. */
  fields: Record<string, string>;
}

/** A relationship between two records, as the sink stores it. */
export interface SinkRelation {
  id: string;
  type: string;
  parentId: string;
  childId: string;
}

/** A record as the mapping says it should be. */
export interface DesiredRecord {
  key: string;
  kind: ItemKind;
  source: string;
  class: string;
  fields: Record<string, string>;
  /** Fields a person may curate in the sink: masync sets them, but does not overwrite a human's edit. */
  sinkAuthoritative: string[];
  relations: DesiredRelation[];
  /** Fields whose value names a record the sink must look up (a user, a cost center) before the diff. */
  lookups: Record<string, FieldLookup>;
}

export interface FieldLookup {
  /** Table or object type to search, e.g. sys_user. */
  table: string;
  /** Fields to try in order, e.g. [user_name, email]. */
  match: string[];
}

export interface DesiredRelation {
  type: string;
  /** Key of the other end. */
  targetKey: string;
  /** Which end this record is. */
  role: 'parent' | 'child';
}

/** A write the applier hands a sink, with every key already resolved to a sink id. */
export type SinkWrite =
  | { op: 'create'; class: string; key: string; fields: Record<string, string> }
  | { op: 'update'; class: string; key: string; id: string; fields: Record<string, string> }
  | { op: 'retire'; class: string; key: string; id: string; fields: Record<string, string> }
  | { op: 'relate'; type: string; parentId: string; childId: string }
  | { op: 'unrelate'; id: string };

export interface ApplyResult {
  /** Id of the record or relation written. */
  id: string;
}

/**
 * An asset system masync keeps true. Never deletes a record: retiring is an update.
 */
export interface Sink {
  readonly name: string;
  readonly type: string;
  /** Where the item key lives in a record, and how a key becomes that field's value. */
  readonly identity: { field: string; of(key: string): string };
  /** Fields that mark a record as masync's (e.g. discovery_source): written on create, used to read back. */
  ownershipFields(): Record<string, string>;
  /** Field values that mean "retired"; a retire writes them, a record carrying them is retired. */
  retiredFields(): Record<string, string>;
  /** Records masync manages, of the mapped classes. Throws on any failure. */
  readManaged(ctx: RunContext): AsyncIterable<SinkRecord>;
  /** Relationships touching a managed record. */
  readRelations(ctx: RunContext): AsyncIterable<SinkRelation>;
  /**
   * Resolve `lookups` (e.g. a user name to a sys_user id), with I/O, before the pure diff.
   * A value that resolves to nothing is removed from `fields` (so masync neither clears nor
   * overwrites what a person set) with a warning, never a failed run.
   */
  resolve?(records: DesiredRecord[], ctx: RunContext): Promise<DesiredRecord[]>;
  /** Perform one write. Must be safe to call again after a crash (the engine re-reads before re-applying). */
  apply(write: SinkWrite, ctx: RunContext): Promise<ApplyResult>;
  check(ctx: RunContext): Promise<CheckResult[]>;
}

export type OpKind = 'create' | 'update' | 'retire' | 'relate' | 'unrelate';

export interface FieldChange {
  from: string | null;
  to: string | null;
}

/** One step of a plan. The JSON contract (`plan --json`) is this shape. */
export interface PlanOp {
  op: OpKind;
  sink: string;
  kind: ItemKind;
  key: string;
  changes: Record<string, FieldChange>;
  class?: string;
  /** Sink id of the record (update, retire) or relation (unrelate). */
  id?: string;
  /** Fields in `changes` that a person had edited in the sink since masync last wrote them. */
  drift?: string[];
  relation?: { type: string; parent: string; child: string };
}

export interface PlanSummary {
  create: number;
  update: number;
  retire: number;
  unchanged: number;
}

/** A field a person edited that masync leaves alone because the mapping gives the sink authority. */
export interface DriftNote {
  sink: string;
  key: string;
  field: string;
  sinkValue: string | null;
  sourceValue: string | null;
}

export interface Plan {
  summary: PlanSummary;
  ops: PlanOp[];
  drift: DriftNote[];
  /** Why some retirements were held back, and other things an operator should read. */
  notes: string[];
  /** Set when a guard stops the apply; the plan is still shown. */
  blocked?: string;
}

import type { Cost, InventoryItem, ItemKind, Usage } from '../inventory';
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

/**
 * What a connector remembers between runs, scoped to that connector (a
 * finished MLflow run's lineage, a SageMaker describe answer, a ServiceNow
 * dictionary). Kept in the state file; values are JSON. Entries nobody reads
 * or writes for a while are pruned, so a cache holds what is still current.
 */
export interface ConnectorCache {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** A cache that forgets everything: for tests and one-off calls (doctor). */
export function memoryCache(): ConnectorCache {
  const m = new Map<string, unknown>();
  return {
    get: <T>(key: string) => m.get(key) as T | undefined,
    set: (key, value) => void m.set(key, value),
    delete: (key) => void m.delete(key),
  };
}

/**
 * What every connector call gets: who to log to, what time it is, when to
 * stop. The engine builds one per connector per run (its logger names the
 * connector and the run, its cache and progress row are the connector's own),
 * and passes that same object to every call of the run.
 */
export interface RunContext {
  logger: Logger;
  clock: Clock;
  /** Hard stop: aborts requests in flight (a second signal, or the stop grace period ran out). */
  signal: AbortSignal;
  /** Soft stop (the first SIGTERM/SIGINT): start nothing new; reads end, writes in flight finish. */
  stopping: AbortSignal;
  progress: Progress;
  cache: ConnectorCache;
  /** A full read was asked for (`--full`, or the full-read cadence came due): trust no cache or cursor. */
  full: boolean;
}

/** A context for calls outside a run (tests, doctor): nothing cached, nothing stops it. */
export function standaloneContext(logger: Logger, clock: Clock = systemClock, signal: AbortSignal = new AbortController().signal): RunContext {
  return { logger, clock, signal, stopping: signal, progress: silentProgress, cache: memoryCache(), full: true };
}

/** What a record read could not account for, reported by a source while it reads. */
export interface SkippedRecord {
  /** What it was, as an operator would find it: "fraud-detector version 3". */
  item: string;
  /** Its key, when it could be built: that record is left as it is, never retired. */
  key?: string;
  /** Its scope, when known; without a key, nothing in that scope (or, without one, the source) retires. */
  scope?: string;
  error: unknown;
}

/**
 * What a source gets for one read. A source that spans several scopes
 * (regions, accounts) reports a failed scope and goes on with the others;
 * one malformed record is skipped and reported, not fatal to the read.
 */
export interface SourceContext extends RunContext {
  /** A scope could not be read: its items are missing from this read, and none of its records retire. */
  scopeFailed(scope: string, error: unknown): void;
  skipped(record: SkippedRecord): void;
}

/** A source context that fails loudly on any partial read: for tests and doctor. */
export function strictSourceContext(ctx: RunContext): SourceContext {
  return {
    ...ctx,
    scopeFailed(scope, error) {
      throw error instanceof Error ? error : new Error(`scope ${scope} failed: ${String(error)}`);
    },
    skipped(record) {
      throw record.error instanceof Error ? record.error : new Error(`${record.item}: ${String(record.error)}`);
    },
  };
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
  /**
   * The scope (e.g. `123456789012/eu-west-1`) a key of this source lives in, when the source
   * spans several; a failed scope retires nothing of its own. Absent: the source is one scope.
   */
  scopeOfKey?(key: string): string | undefined;
  /**
   * The key of the item a platform reference names, when the reference is in this source's
   * own format (a SageMaker model package ARN, an MLflow `models:/name/3` URI): how a deployment
   * found by one source links to the version another source registered.
   */
  keyOfReference?(reference: string): string | undefined;
  /**
   * Stream every item, page by page. Throws when the read as a whole fails: a partial read must
   * never look complete. A failed scope or one bad record is reported through the context instead.
   */
  list(ctx: SourceContext): AsyncIterable<InventoryItem>;
  /** Reachability, credentials and permissions, for `masync doctor`. */
  check(ctx: RunContext): Promise<CheckResult[]>;
}

/** Facts an enricher found, by item key. */
export interface EnrichFacts {
  usage: Map<string, Usage>;
  /** Measured cost (billing data); items without one get an estimate from the price table. */
  cost: Map<string, Cost>;
}

/**
 * Facts about items that no source holds (traffic, billed cost), fetched once
 * per run after the sources are read and joined on by the engine. Reads only.
 * A scope it cannot read is reported, and the facts it would have given are
 * missing (never zero): a finding that needs them is not raised on a guess.
 */
export interface Enricher {
  readonly name: string;
  readonly type: string;
  enrich(items: readonly InventoryItem[], ctx: SourceContext): Promise<EnrichFacts>;
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
  /** What reference values name (field → "alice" for a sys_user id), where the sink knows it. */
  labels?: Record<string, string>;
  /** When the sink last changed it (ISO 8601, UTC): the cursor of incremental reads. */
  updatedAt?: string;
}

/**
 * A relationship between two records, as the sink stores it: a row of its own
 * (ServiceNow cmdb_rel_ci) or a reference attribute on one end (Jira Assets).
 */
export interface SinkRelation {
  /** The sink's id for it; for a reference attribute, whatever the sink needs to remove it again. */
  id: string;
  type: string;
  parentId: string;
  childId: string;
  updatedAt?: string;
}

/** How a read is narrowed. */
export interface SinkReadOptions {
  /**
   * Only records (relations) the sink changed at or after this instant (ISO 8601, UTC; the
   * engine has already subtracted its safety margin). Absent: everything.
   */
  changedSince?: string;
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
  /** After `resolve`: what each resolved field's id stands for (field → "alice"), for the plan's readers. */
  labels?: Record<string, string>;
  /** The hash of everything the record's values were mapped from, when the sink gives a `resolveBasis`. */
  basis?: string;
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

/** Which end of a relation declares it (and, where relations are reference attributes, holds it). */
export type RelationHolder = 'parent' | 'child';

/** A relation a create carries as a value of one of its own reference attributes (sinks that store relations as references). */
export interface CarriedReference {
  /** The relation type: on such sinks, the name of the holder's reference attribute. */
  type: string;
  /** Sink id of the record it points at. */
  targetId: string;
}

export type CreateWrite = {
  op: 'create';
  class: string;
  key: string;
  fields: Record<string, string>;
  /** Relations this new record holds, written in its create rather than as edits after it. */
  references?: CarriedReference[];
};
export type RelateWrite = { op: 'relate'; type: string; parentId: string; childId: string; holder: RelationHolder };

/** A write the applier hands a sink, with every key already resolved to a sink id. */
export type SinkWrite =
  | CreateWrite
  | { op: 'update'; class: string; key: string; id: string; fields: Record<string, string> }
  | { op: 'retire'; class: string; key: string; id: string; fields: Record<string, string> }
  | RelateWrite
  | { op: 'unrelate'; id: string };

/** What became of one reference a create carried: drawn (its relation id), refused, or not carried (drawn on its own after). */
export type CarriedOutcome = { id: string } | { error: Error } | undefined;

export interface ApplyResult {
  /** Id of the record or relation written. */
  id: string;
  /** For a create that carried `references`: one outcome per reference, in order. Absent: each is looked up. */
  references?: CarriedOutcome[];
}

/**
 * The outcome of one write of a batch. `unknown` means the request may or may
 * not have taken effect (a timeout, a lost answer, a 5xx): the engine resolves
 * it by `lookup`, never by sending it again blindly.
 */
export type WriteResult = { ok: true; id: string; references?: CarriedOutcome[] } | { ok: false; error: Error; unknown: boolean };

/**
 * An asset system masync keeps true. Never deletes a record: retiring is an update.
 */
export interface Sink {
  readonly name: string;
  readonly type: string;
  /** Where the item key lives in a record, and how a key becomes that field's value. */
  readonly identity: { field: string; of(key: string): string };
  /** Rows of their own (ServiceNow `cmdb_rel_ci`), or reference attributes on the holder (Jira Assets). */
  readonly relationStorage: 'rows' | 'references';
  /** Writes per `applyBatch` call, when the sink has one. */
  readonly batchSize?: number;
  /** Fields that mark a record as masync's (e.g. discovery_source): written on create, used to read back. */
  ownershipFields(): Record<string, string>;
  /** Field values that mean "retired"; a retire writes them, a record carrying them is retired. */
  retiredFields(): Record<string, string>;
  /** Records masync manages, of the mapped classes. Throws on any failure. */
  readManaged(ctx: RunContext, opts?: SinkReadOptions): AsyncIterable<SinkRecord>;
  /** Relationships touching a managed record. Throws on any failure. */
  readRelations(ctx: RunContext, opts?: SinkReadOptions): AsyncIterable<SinkRelation>;
  /**
   * Resolve `lookups` (e.g. a user name to a sys_user id), with I/O, before the pure diff.
   * A value that resolves to nothing is removed from `fields` (so masync neither clears nor
   * overwrites what a person set) with a warning, never a failed run.
   */
  resolve?(records: DesiredRecord[], ctx: RunContext): Promise<DesiredRecord[]>;
  /**
   * Everything `resolve` reads besides the lookups it resolves (the instance's
   * columns and their lengths, the settings that decide what is written), as
   * one string that changes whenever any of it does. With it, a record whose
   * item, mapping, lookups and this are as they were when masync last wrote or
   * confirmed it is known without being mapped again; without it, every
   * record is mapped every run.
   */
  resolveBasis?(ctx: RunContext): Promise<string>;
  /**
   * Perform one write. Throws OutcomeUnknownError when a create or relate may or may not have
   * landed; the engine then calls `lookup`. Must never resend a create on its own.
   */
  apply(write: SinkWrite, ctx: RunContext): Promise<ApplyResult>;
  /** Several writes in one round trip (e.g. ServiceNow's Batch API); one result per write, in order. */
  applyBatch?(writes: readonly SinkWrite[], ctx: RunContext): Promise<WriteResult[]>;
  /**
   * The record a create made, or the relation a relate drew, if it exists now: how the engine
   * settles a write whose outcome is unknown. Ignores records that carry `retiredFields()`.
   */
  lookup(write: CreateWrite | RelateWrite, ctx: RunContext): Promise<string | undefined>;
  /**
   * Create what the mapping needs in an empty workspace (Jira Assets: object schema, object
   * types, attributes), idempotently; with `dryRun`, only say what it would create. Sinks whose
   * schema an administrator manages (ServiceNow classes and columns) have none.
   */
  bootstrap?(opts: { dryRun: boolean }, ctx: RunContext): Promise<BootstrapStep[]>;
  check(ctx: RunContext): Promise<CheckResult[]>;
}

/** One line of `masync init --apply-schema`. */
export interface BootstrapStep {
  /** `create`: made now (or would be, in a dry run); `exists`: already there, left alone. */
  action: 'create' | 'exists';
  /** What, as an admin names it: `object type "ML Model Version"`, `attribute "External key" on "ML Model"`. */
  what: string;
  detail?: string;
}

export type OpKind = 'create' | 'update' | 'retire' | 'relate' | 'unrelate';

export interface FieldChange {
  from: string | null;
  to: string | null;
  /** What a reference value names (the user behind a sys_user id), for the people reading the plan. */
  fromLabel?: string;
  toLabel?: string;
}

/** One step of a plan. The JSON contract (`plan --json`) is this shape. */
export interface PlanOp {
  op: OpKind;
  sink: string;
  kind: ItemKind;
  key: string;
  /** The record as a person names it ("fraud-detector v3"); the key stays the identity. */
  title?: string;
  changes: Record<string, FieldChange>;
  class?: string;
  /** Sink id of the record (update, retire) or relation (unrelate). */
  id?: string;
  /** Fields in `changes` that a person had edited in the sink since masync last wrote them. */
  drift?: string[];
  relation?: { type: string; parent: string; child: string; holder: RelationHolder };
  /** Why the op is there when it is not the plain diff: a duplicate retired, a deleted record recreated. */
  reason?: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  retire: number;
  relate: number;
  unrelate: number;
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

/** A finding as the plan shows it. */
export interface PlanFinding {
  type: string;
  key: string;
  title?: string;
  severity: string;
  detail: string;
  monthlyWaste?: number;
  currency?: string;
  firstSeen?: string;
}

/** Retirements a guard held back, and why: shown in the plan, the JSON and the log; the run is partial. */
export interface HeldBack {
  source: string;
  scope?: string;
  reason: 'source-failed' | 'scope-failed' | 'short-read' | 'skipped-records';
  detail: string;
}

export interface Plan {
  summary: PlanSummary;
  ops: PlanOp[];
  drift: DriftNote[];
  /** Why some retirements were held back, and other things an operator should read. */
  notes: string[];
  /** Retirements the source guards held back. */
  held: HeldBack[];
  /** What the policies found this run (zombie, shadow…), most money wasted first. */
  findings: PlanFinding[];
  /** Set when the mass-retirement guard stops the apply; the plan is still shown. */
  blocked?: string;
  /** Set instead of `blocked` when `--allow-mass-retire` lets that retirement through: an override, not a block. */
  massRetireAllowed?: string;
}

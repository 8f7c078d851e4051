import type { DesiredRecord, DesiredRelation, FieldLookup, SinkRecord } from './types';

/** Field values kept elsewhere (state's link: what masync last wrote or confirmed), read only when asked for. */
export interface HeldCopy {
  readonly applied: Record<string, string>;
}

/**
 * A sink record whose field values are not held in memory: they equal a
 * held copy in every non-empty field, and its empty fields are kept by name,
 * so they can be given back exactly when something asks for `fields`. What
 * the reconcile asks of every record, whether it is retired, is answered
 * from the values as they were read. A run of 100,000 records that did not
 * change holds ids and hashes, not two million strings.
 */
export class LeanRecord implements SinkRecord {
  private held?: Record<string, string>;

  constructor(
    readonly id: string,
    readonly class_: string,
    readonly identity: string,
    readonly copyOf: HeldCopy,
    /** The record's empty fields; absent: the record is exactly the copy. */
    private readonly empty: readonly string[] | undefined,
    /** Whether the values carry these retired values, when known without reading them. */
    private readonly retiredFor: { fields: Readonly<Record<string, string>>; retired: boolean | undefined },
    /** Not returned by an incremental read: the record as state remembers it (its copy is all there is). */
    readonly remembered: boolean,
    readonly labels?: Record<string, string>,
  ) {}

  get class(): string {
    return this.class_;
  }

  get fields(): Record<string, string> {
    if (!this.empty) return this.copyOf.applied;
    if (!this.held) {
      const out: Record<string, string> = {};
      for (const [f, v] of Object.entries(this.copyOf.applied)) if (v !== '') out[f] = v;
      for (const f of this.empty) out[f] = '';
      this.held = out;
    }
    return this.held;
  }

  /** Whether the record carries these retired values, without reading its fields when they are the ones it was read with. */
  carries(retiredFields: Readonly<Record<string, string>>): boolean {
    if (retiredFields === this.retiredFor.fields && this.retiredFor.retired !== undefined) return this.retiredFor.retired;
    return carriesValues(this.fields, retiredFields);
  }
}

/** Whether these field values carry every one of the retired values. */
export function carriesValues(fields: Readonly<Record<string, string>>, retiredFields: Readonly<Record<string, string>>): boolean {
  for (const f in retiredFields) if (fields[f] !== retiredFields[f]) return false;
  return true;
}

/**
 * A desired record whose field values are exactly those of a held copy,
 * found equal by hash; they are read back only when something asks for `fields`.
 */
export class LeanDesired implements DesiredRecord {
  constructor(
    readonly key: string,
    readonly kind: DesiredRecord['kind'],
    readonly source: string,
    readonly class_: string,
    readonly copyOf: HeldCopy,
    /** Whether the values carry the sink's retired values (its `retiredFields()`, the one object the run uses). */
    readonly retired: boolean,
    readonly sinkAuthoritative: string[],
    readonly relations: DesiredRelation[],
    readonly lookups: Record<string, FieldLookup>,
    readonly labels?: Record<string, string>,
    readonly basis?: string,
  ) {}

  get class(): string {
    return this.class_;
  }

  get fields(): Record<string, string> {
    return this.copyOf.applied;
  }
}

/**
 * Whether a record holds every field of a desired record as it wants it,
 * known without looking: the desired values equal a copy exactly, and the
 * record equals that same copy in every non-empty field; a field the diff
 * reads as empty is empty (or absent) in both. The diff would find nothing.
 */
export function sameCopy(desired: DesiredRecord, record: SinkRecord): boolean {
  return desired instanceof LeanDesired && record instanceof LeanRecord && desired.copyOf === record.copyOf;
}

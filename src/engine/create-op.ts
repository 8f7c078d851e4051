import type { ItemKind } from '../inventory';
import type { DesiredRecord, FieldChange, PlanOp } from './types';

/**
 * A planned create. Its changes are every field of the desired record, from
 * nothing: derived each time they are read instead of held, so a first sync
 * of 100,000 records does not keep a second copy of two million values (the
 * desired records are held to the end of the run anyway). Serialized, it is
 * the plain op the plan's JSON contract names.
 */
export class CreateOp implements PlanOp {
  readonly op = 'create' as const;
  readonly #desired: DesiredRecord;

  constructor(
    readonly sink: string,
    desired: DesiredRecord,
    readonly title: string | undefined,
    readonly reason: string | undefined,
  ) {
    this.#desired = desired;
  }

  get kind(): ItemKind {
    return this.#desired.kind;
  }

  get key(): string {
    return this.#desired.key;
  }

  get class(): string {
    return this.#desired.class;
  }

  /** The values the create writes: the desired record's own, not a copy. */
  get values(): Record<string, string> {
    return this.#desired.fields;
  }

  /** What each resolved value was resolved from (field → "alice"). */
  get labels(): Readonly<Record<string, string>> | undefined {
    return this.#desired.labels;
  }

  get changes(): Record<string, FieldChange> {
    return createChanges(this.#desired);
  }

  toJSON(): PlanOp {
    const { op, sink, kind, key, title, changes, reason } = this;
    return { op, sink, kind, key, ...(title !== undefined ? { title } : {}), class: this.class, changes, ...(reason !== undefined ? { reason } : {}) };
  }
}

/** Every field of a desired record, set from nothing, with the label a resolved value was resolved from. */
export function createChanges(d: DesiredRecord): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const f of Object.keys(d.fields).sort()) {
    const label = d.labels?.[f];
    out[f] = { from: null, to: d.fields[f] as string, ...(label !== undefined ? { toLabel: label } : {}) };
  }
  return out;
}

import { canonicalJson, digest } from '../inventory/hash';
import { packJson, type Dictionary } from './codec';

/**
 * The stored forms of a set of field values (a link's applied values, a
 * create's payload): the hash of its canonical JSON, and the hash of the
 * non-empty values. Each set is hashed once however many times it is
 * compared, and packed once however many times it is journalled and linked.
 * The JSON itself is not kept: a form lives as long as its values, which is
 * the whole run, and a hundred thousand records' JSON is a hundred megabytes.
 */
export interface AppliedForm {
  /** 8 bytes of the canonical JSON's SHA-256, as a latin1 string (a Buffer costs ten times its bytes): equal values, equal hash. */
  readonly hash: string;
  /** 8 bytes of the hash of the non-empty values (see `matchHash`), as a latin1 string. */
  readonly match: string;
  /** Packed, with the dictionary it was packed with: a create's payload and its link's values are packed once. */
  packed?: { bytes: Buffer; with: Dictionary | undefined };
}

/** The match hash is taken only when asked: most desired records are compared by `hash` alone, and never stored. */
class Form implements AppliedForm {
  readonly hash: string;
  packed?: { bytes: Buffer; with: Dictionary | undefined };
  private matched?: string;

  constructor(
    private readonly values: Readonly<Record<string, string>>,
    json = canonicalJson(values),
  ) {
    this.hash = digest(json).toString('latin1', 0, 8);
  }

  get match(): string {
    return (this.matched ??= matchHash(this.values).toString('latin1'));
  }
}

const forms = new WeakMap<object, AppliedForm>();

/** The forms of these values; the values must not change afterwards (the forms are kept with them). */
export function appliedForm(values: Readonly<Record<string, string>>): AppliedForm {
  let f = forms.get(values);
  if (!f) forms.set(values, (f = new Form(values)));
  return f;
}

/** The values packed for the state file, once per set of values and dictionary. */
export function packApplied(values: Readonly<Record<string, string>>, dictionary: Dictionary | undefined): Buffer {
  let f = forms.get(values);
  if (!f) {
    // Values first seen here (a create's payload) are written as JSON once, for their hash and their bytes.
    const json = canonicalJson(values);
    forms.set(values, (f = new Form(values, json)));
    f.packed = { bytes: packJson(json, dictionary), with: dictionary };
  }
  if (!f.packed || f.packed.with !== dictionary) f.packed = { bytes: packJson(canonicalJson(values), dictionary), with: dictionary };
  return f.packed.bytes;
}

/**
 * Forget the packed bytes of values stored for good (their link is written):
 * a run of a hundred thousand creates need not hold every payload to its end.
 * Packing them again, should anything ask, gives the same bytes.
 */
export function releasePacked(values: Readonly<Record<string, string>>): void {
  const f = forms.get(values);
  if (f) f.packed = undefined;
}

export function appliedHash(values: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(appliedForm(values).hash, 'latin1');
}

/**
 * A hash of the fields with a value: what a record holds as the sink returns
 * it (every mapped column, empty ones as "") and what masync wrote (only the
 * kind's own fields) are equal under it exactly when every field reads the
 * same, an empty field and a missing one alike, which is how the diff reads them.
 */
export function matchHash(fields: Readonly<Record<string, string | undefined>>): Buffer {
  const keys = Object.keys(fields).sort();
  let text = '';
  for (const k of keys) {
    const v = fields[k];
    if (v === '' || v === undefined) continue;
    text += `${JSON.stringify(k)}:${JSON.stringify(v)},`;
  }
  return digest(text).subarray(0, 8);
}

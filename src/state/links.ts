import type { ItemKind } from '../inventory';
import { appliedForm, packApplied, releasePacked } from './applied';
import { unpack } from './codec';
import type { Db } from './db';
import { dictionaryFor } from './dictionaries';
import { hexSql, instantToDb, latin1FromHex, optionalInstantFromDb, recordIdFromDb, recordIdSql, recordIdToDb } from './compact-values';
import { journalRowHolding } from './journal';
import type { KeyIds } from './keys';
import { namesOf } from './names';
import { prepared } from './prepared';

export { appliedHash } from './applied';

/** What masync knows about one item's record in one sink. */
export interface Link {
  sink: string;
  key: string;
  source: string;
  kind: ItemKind;
  recordId: string;
  identity: string;
  class: string;
  /** Field values masync last wrote or confirmed: the base of the three-way drift check. */
  applied: Record<string, string>;
  retiredAt?: string;
  /** The hash of what `applied` was last mapped from, when it is exactly that mapping's values (see `desiredFor`). */
  basis?: string;
}

/** What every link of one load shares: held once, not by each of a hundred thousand links. */
interface LoadedFrom {
  readonly db: Db;
  readonly sink: string;
  readonly sinkId: number;
  readonly keys: KeyIds;
  /** Values read so far, by link: most links of a run are never asked for theirs. */
  readonly applied: WeakMap<StoredLink, Record<string, string>>;
}

/** The names a link shares with many others (a sink has a handful of sources, kinds and classes). */
interface LinkShape {
  readonly from: LoadedFrom;
  readonly source: string;
  readonly kind: ItemKind;
  readonly class: string;
}

/**
 * A link read from state, in as few fields as a hundred thousand of them
 * allow (each field costs a megabyte). Its applied values stay in the state
 * file until something looks at them (a no-op run compares hashes only). A
 * run reads a link's values before it writes a new link in its place (and
 * puts the new one in its map); the read asks for the row by its hash, so a
 * value read after its row moved on fails loudly instead of answering with
 * the new one.
 */
class StoredLink implements Link {
  constructor(
    private readonly shape: LinkShape,
    readonly key: string,
    readonly recordId: string,
    readonly identity: string,
    /** The applied hash (8 characters), then the match hash when state has one: one string rather than two. */
    readonly hashes: string,
    readonly retiredAt: string | undefined,
    readonly basis: string | undefined,
  ) {}
  get sink(): string {
    return this.shape.from.sink;
  }
  get source(): string {
    return this.shape.source;
  }
  get kind(): ItemKind {
    return this.shape.kind;
  }
  get class(): string {
    return this.shape.class;
  }
  get applied(): Record<string, string> {
    const { from } = this.shape;
    let values = from.applied.get(this);
    if (!values) {
      const row = prepared(
        from.db,
        `SELECT COALESCE(l.applied, j.changes) AS applied FROM link_rows l LEFT JOIN journal_rows j ON j.id = l.applied_from
         WHERE l.sink = ? AND l.id = ? AND l.applied_hash = ?`,
      ).get(from.sinkId, from.keys.find(this.key), Buffer.from(this.hashes.slice(0, HASH), 'latin1')) as { applied: Buffer | string | null } | undefined;
      if (!row?.applied) throw new Error(`state: the values masync last wrote to ${from.sink} for ${this.key} were replaced before they were read`);
      from.applied.set(this, (values = unpack<Record<string, string>>(row.applied)));
    }
    return values;
  }
}

/** Characters of a hash held as a string (8 bytes as latin1). */
const HASH = 8;

/** The applied values' hash, comparable with `===` (8 bytes as a short string). */
export function appliedKey(link: Link): string {
  return link instanceof StoredLink ? link.hashes.slice(0, HASH) : appliedForm(link.applied).hash;
}

/**
 * The hash of the link's non-empty applied values (`matchHash`) as a short
 * string, or undefined when state has none (a link an earlier version wrote
 * and no run has rewritten since): then a record is always compared in full.
 */
export function matchKey(link: Link): string | undefined {
  if (!(link instanceof StoredLink)) return appliedForm(link.applied).match;
  return link.hashes.length > HASH ? link.hashes.slice(HASH) : undefined;
}

/** `matchHash` of some field values as a short string, comparable with `matchKey`. */
export function fieldsMatchKey(fields: Readonly<Record<string, string>>): string {
  return appliedForm(fields).match;
}

/** Whether a link's applied values equal `fields`, without reading them when the link came from state. */
export function appliedEquals(link: Link, fields: Record<string, string>): boolean {
  const { hash } = appliedForm(fields);
  return link instanceof StoredLink ? link.hashes.startsWith(hash) : appliedForm(link.applied).hash === hash;
}

/** Every link of a sink, by item key. `identityOf` rebuilds identities not stored (those equal to the key's own). */
export function loadLinks(db: Db, keys: KeyIds, sink: string, identityOf: (key: string) => string): Map<string, Link> {
  const out = new Map<string, Link>();
  const names = namesOf(db);
  const from: LoadedFrom = { db, sink, sinkId: names.find(sink), keys, applied: new WeakMap() };
  const shapes = new Map<string, LinkShape>();
  const shapeOf = (source: number, kind: number, klass: number): LinkShape => {
    const id = `${source},${kind},${klass}`;
    let shape = shapes.get(id);
    if (!shape) shapes.set(id, (shape = { from, source: names.name(source), kind: names.name(kind) as ItemKind, class: names.name(klass) }));
    return shape;
  };
  // Rows as arrays and BLOBs as hex: a row object and a Buffer per column cost more than the link they make.
  const rows = prepared(
    db,
    `SELECT id, source, kind, class, ${recordIdSql('record_id')}, identity, hex(applied_hash) || hex(match_hash), retired_at, ${hexSql('basis')}
     FROM link_rows WHERE sink = ?`,
  )
    .raw()
    .iterate(from.sinkId) as Iterable<[number, number, number, number, string, string | null, string, number | string | null, string | null]>;
  for (const [id, source, kind, klass, recordId, identity, hashes, retiredAt, basis] of rows) {
    const key = keys.keyOf(id);
    if (hashes.length !== 2 * HASH && hashes.length !== 4 * HASH) throw new Error(`state: the link to ${sink} for ${key} holds ${hashes.length / 2} bytes of hashes where masync writes ${HASH} or ${2 * HASH}; the state file is damaged`);
    const link = new StoredLink(
      shapeOf(source, kind, klass),
      key,
      recordIdFromDb(recordId),
      identity ?? identityOf(key),
      latin1FromHex(hashes),
      optionalInstantFromDb(retiredAt),
      basis === null ? undefined : latin1FromHex(basis),
    );
    out.set(key, link);
  }
  return out;
}

/**
 * Write links in one transaction; identities equal to the key's own are not
 * stored, and values that are exactly the create's payload journalled with
 * them are stored once, in the journal (`applied_from`).
 */
export function saveLinks(db: Db, keys: KeyIds, links: Iterable<Link>, at: string, identityOf: (key: string) => string): void {
  const names = namesOf(db);
  const stmt = prepared(
    db,
    `INSERT INTO link_rows (sink, id, source, kind, record_id, identity, class, applied, applied_from, applied_hash, match_hash, updated_at, retired_at, basis)
     VALUES (@sink, @id, @source, @kind, @recordId, @identity, @class, @applied, @from, @hash, @match, @at, @retiredAt, @basis)
     ON CONFLICT(sink, id) DO UPDATE SET source = @source, kind = @kind, record_id = @recordId, identity = @identity, class = @class,
       applied = @applied, applied_from = @from, applied_hash = @hash, match_hash = @match, updated_at = @at, retired_at = @retiredAt, basis = @basis`,
  );
  const dictionary = dictionaryFor(db, 'applied');
  const updatedAt = instantToDb(at);
  db.transaction(() => {
    for (const l of links) {
      const form = appliedForm(l.applied);
      const sink = names.id(l.sink);
      const id = keys.idOf(l.key);
      const packed = packApplied(l.applied, dictionary);
      const from = journalRowHolding(db, packed, sink, id);
      stmt.run({
        sink,
        id,
        source: names.id(l.source),
        kind: names.id(l.kind),
        recordId: recordIdToDb(l.recordId),
        identity: l.identity === identityOf(l.key) ? null : l.identity,
        class: names.id(l.class),
        applied: from === undefined ? packed : null,
        from: from ?? null,
        hash: Buffer.from(form.hash, 'latin1'),
        match: Buffer.from(form.match, 'latin1'),
        at: updatedAt,
        retiredAt: l.retiredAt === undefined ? null : instantToDb(l.retiredAt),
        basis: l.basis === undefined ? null : Buffer.from(l.basis, 'latin1'),
      });
      releasePacked(l.applied);
    }
  })();
}

/** Set the basis of links whose values stay as they are (they were mapped again from new inputs to the same values). */
export function saveBases(db: Db, keys: KeyIds, sink: string, bases: ReadonlyArray<{ key: string; basis: string | undefined }>): void {
  if (bases.length === 0) return;
  const stmt = prepared(db, 'UPDATE link_rows SET basis = ? WHERE sink = ? AND id = ?');
  const sinkId = namesOf(db).id(sink);
  db.transaction(() => {
    for (const b of bases) stmt.run(b.basis === undefined ? null : Buffer.from(b.basis, 'latin1'), sinkId, keys.idOf(b.key));
  })();
}

export function linkCounts(db: Db): Array<{ sink: string; active: number; retired: number }> {
  const names = namesOf(db);
  const rows = prepared(
    db,
    `SELECT sink, SUM(retired_at IS NULL) AS active, SUM(retired_at IS NOT NULL) AS retired
     FROM link_rows GROUP BY sink`,
  ).all() as Array<{ sink: number; active: number; retired: number }>;
  return rows.map((r) => ({ ...r, sink: names.name(r.sink) })).sort((a, b) => (a.sink < b.sink ? -1 : a.sink > b.sink ? 1 : 0));
}

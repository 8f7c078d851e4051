import type { ItemKind } from '../inventory';
import { appliedForm, packApplied, releasePacked } from './applied';
import { unpack } from './codec';
import type { Db } from './db';
import { dictionaryFor } from './dictionaries';
import { instantToDb, optionalInstantFromDb, recordIdFromDb, recordIdToDb } from './compact-values';
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

/**
 * A link read from state. Its applied values stay in the state file until
 * something looks at them (a no-op run compares hashes only). A run reads a
 * link's values before it writes a new link in its place (and puts the new
 * one in its map); the read asks for the row by its hash, so a value read
 * after its row moved on fails loudly instead of answering with the new one.
 */
class StoredLink implements Link {
  private unpacked?: Record<string, string>;
  constructor(
    readonly sink: string,
    readonly key: string,
    private readonly sinkId: number,
    private readonly id: number,
    readonly source: string,
    readonly kind: ItemKind,
    readonly recordId: string,
    readonly identity: string,
    readonly class_: string,
    readonly hash: string,
    readonly match: string | undefined,
    readonly retiredAt: string | undefined,
    readonly basis: string | undefined,
    private readonly db: Db,
  ) {}
  get class(): string {
    return this.class_;
  }
  get applied(): Record<string, string> {
    if (!this.unpacked) {
      const row = prepared(
        this.db,
        `SELECT COALESCE(l.applied, j.changes) AS applied FROM link_rows l LEFT JOIN journal_rows j ON j.id = l.applied_from
         WHERE l.sink = ? AND l.id = ? AND l.applied_hash = ?`,
      ).get(this.sinkId, this.id, Buffer.from(this.hash, 'latin1')) as { applied: Buffer | string | null } | undefined;
      if (!row?.applied) throw new Error(`state: the values masync last wrote to ${this.sink} for ${this.key} were replaced before they were read`);
      this.unpacked = unpack<Record<string, string>>(row.applied);
    }
    return this.unpacked;
  }
}

const latin1 = (b: Buffer) => b.toString('latin1');

/** The applied values' hash, comparable with `===` (8 bytes as a short string). */
export function appliedKey(link: Link): string {
  return link instanceof StoredLink ? link.hash : appliedForm(link.applied).hash;
}

/**
 * The hash of the link's non-empty applied values (`matchHash`) as a short
 * string, or undefined when state has none (a link an earlier version wrote
 * and no run has rewritten since): then a record is always compared in full.
 */
export function matchKey(link: Link): string | undefined {
  return link instanceof StoredLink ? link.match : appliedForm(link.applied).match;
}

/** `matchHash` of some field values as a short string, comparable with `matchKey`. */
export function fieldsMatchKey(fields: Readonly<Record<string, string>>): string {
  return appliedForm(fields).match;
}

/** Whether a link's applied values equal `fields`, without reading them when the link came from state. */
export function appliedEquals(link: Link, fields: Record<string, string>): boolean {
  return appliedKey(link) === appliedForm(fields).hash;
}

/** Every link of a sink, by item key. `identityOf` rebuilds identities not stored (those equal to the key's own). */
export function loadLinks(db: Db, keys: KeyIds, sink: string, identityOf: (key: string) => string): Map<string, Link> {
  const out = new Map<string, Link>();
  const names = namesOf(db);
  const sinkId = names.find(sink);
  const rows = prepared(db, 'SELECT id, source, kind, record_id, identity, class, applied_hash, match_hash, retired_at, basis FROM link_rows WHERE sink = ?').iterate(sinkId) as Iterable<
    Record<string, string | number | Buffer | null>
  >;
  for (const r of rows) {
    const id = r.id as number;
    const key = keys.keyOf(id);
    const identity = (r.identity as string | null) ?? identityOf(key);
    const match = r.match_hash === null ? undefined : latin1(r.match_hash as Buffer);
    const kind = names.name(r.kind as number) as ItemKind;
    out.set(
      key,
      new StoredLink(sink, key, sinkId, id, names.name(r.source as number), kind, recordIdFromDb(r.record_id), identity, names.name(r.class as number), latin1(r.applied_hash as Buffer), match, optionalInstantFromDb(r.retired_at), r.basis === null ? undefined : latin1(r.basis as Buffer), db),
    );
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

import { tripleId } from '../engine/reconcile-relations';
import type { KnownRelation } from '../state/relations';

/**
 * The relations state remembers drawing, asked by triple id or by sink id.
 * Each index is made when first asked: a run that finds every relation where
 * it was asks neither, and at 100,000 relations they are tens of megabytes.
 */
export class KnownRelations {
  private triples?: Map<string, string>;
  private relationIds?: Set<string>;

  constructor(private readonly known: readonly KnownRelation[]) {}

  /** Triple id (see `tripleId`) → the relation's sink id. */
  byTriple(): ReadonlyMap<string, string> {
    if (!this.triples) {
      this.triples = new Map();
      for (const r of this.known) this.triples.set(tripleId(r.type, r.parent, r.child), r.relationId);
    }
    return this.triples;
  }

  has(tripleIdOf: string): boolean {
    return this.byTriple().has(tripleIdOf);
  }

  /** The sink ids of the relations. */
  ids(): ReadonlySet<string> {
    this.relationIds ??= new Set(this.known.map((r) => r.relationId));
    return this.relationIds;
  }
}

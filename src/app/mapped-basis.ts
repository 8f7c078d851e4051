import { packageVersion } from '../config/package-root';
import { carriesValues } from '../engine/lean-record';
import { canonicalJson, digest, itemDigest, type InventoryItem } from '../inventory';
import type { Mapping } from '../mapping/schema';

/**
 * What a record's values are mapped from, as one short string: its item's
 * content, the mapping, the sink's stamps and retired values, what resolving
 * reads besides lookups (`Sink.resolveBasis`), what its lookup fields
 * resolved to, and masync's version (the code that maps). Equal bases give
 * equal values: a link that stores the basis its values came from answers for
 * them while the basis holds. The last character says whether those values
 * carry the sink's retired values, which the reconcile asks of every record.
 */
export class MappedBasis {
  private readonly base: string;
  private readonly readsObservedAt: boolean;
  private readonly retiredFields: Readonly<Record<string, string>>;

  constructor(
    mapping: Mapping,
    sink: { identityField: string; stamp: Readonly<Record<string, string>>; retiredFields: Readonly<Record<string, string>>; resolveBasis: string },
  ) {
    const mappingJson = canonicalJson(mapping);
    // Hashed once: the mapping and the instance's columns are tens of kilobytes, hashed again for every record they would be.
    this.base = digest(canonicalJson({ version: packageVersion(), mapping: mappingJson, ...sink })).toString('latin1');
    // Items hash without when they were observed: a mapping that writes it maps anew every run.
    this.readsObservedAt = mappingJson.includes('observedAt');
    this.retiredFields = sink.retiredFields;
  }

  /** The inputs' hash (8 bytes as latin1) of an item, with its identity in the sink, whose lookup fields resolved to the values `lookedUpJson` holds (canonical JSON). */
  inputs(item: InventoryItem, identity: string, lookedUpJson: string): string {
    const observed = this.readsObservedAt ? item.observedAt : '';
    const text = `${this.base}\u0000${identity}\u0000${itemDigest(item).toString('latin1')}\u0000${lookedUpJson}\u0000${observed}`;
    return digest(text).subarray(0, 8).toString('latin1');
  }

  /** The basis to store with values mapped from these inputs. */
  of(inputs: string, values: Readonly<Record<string, string>>): string {
    return inputs + (carriesValues(values, this.retiredFields) ? 'r' : '-');
  }
}

/** The inputs part of a stored basis. */
export function basisInputs(basis: string): string {
  return basis.slice(0, 8);
}

/** Whether the values a stored basis stands for carry the sink's retired values. */
export function basisRetired(basis: string): boolean {
  return basis.endsWith('r');
}

import { canonicalJson } from '../../../src/inventory';
import type { Catalog } from './catalog';

/** The settings owner lookups depend on beyond each owner's value and the mapping's `match` list. */
export interface OwnerSettings {
  deployment: 'cloud' | 'datacenter';
  emailDomain?: string;
}

/**
 * What `resolveRecords` reads besides the records' own lookup fields, as one
 * string (`Sink.resolveBasis`). The catalog goes in whole — every type and
 * attribute, in the order Assets lists them, ids included — rather than only
 * what `refusal`, `findType` and `findAttr` consult today: a field a later
 * check reads is then covered without anyone remembering to add it, and the
 * price of an id that changes (an attribute deleted and made again) is one
 * run that maps every record anew. Attribute order matters as well: a
 * case-only match takes the first attribute that fits.
 *
 * Which user an owner names is covered by masync's lookup probe (the
 * resolved account id is part of every record's basis); the deployment and
 * the mail domain still go in, since they decide how a bare name is looked
 * up at all.
 */
export function resolveBasisOf(catalog: Catalog, owners: OwnerSettings): string {
  return canonicalJson({ catalog, deployment: owners.deployment, emailDomain: owners.emailDomain ?? null });
}

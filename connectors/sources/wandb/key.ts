import type { ItemKind } from '../../../src/inventory';

/**
 * Item keys of the W&B source, built and parsed in this one place:
 *
 *   model:          wandb://<namespace>/<entity>/<project>/<collection>
 *   model_version:  wandb://<namespace>/<entity>/<project>/<collection>:v<N>
 *
 * The part after the namespace is W&B's own artifact path (what
 * `wandb.Api().artifact()` takes). Each segment is percent-encoded, so a "/" or
 * ":" inside a name can never be mistaken for a separator.
 */

/** Where a collection lives: its entity, project and name, as W&B spells them. */
export interface CollectionPath {
  entity: string;
  project: string;
  collection: string;
}

/** One version of a collection (the source collection's version index). */
export interface VersionPath extends CollectionPath {
  index: number;
}

export type ParsedKey = { kind: 'model'; path: CollectionPath } | { kind: 'model_version'; path: VersionPath };

const VERSION_SUFFIX = /:v(\d+)$/;

export class WandbKeys {
  readonly prefix: string;

  constructor(namespace: string) {
    this.prefix = `wandb://${namespace}/`;
  }

  model(p: CollectionPath): string {
    return `${this.prefix}${enc(p.entity)}/${enc(p.project)}/${enc(p.collection)}`;
  }

  version(p: VersionPath): string {
    return `${this.model(p)}:v${p.index}`;
  }

  /** The key's kind and path, or undefined when it is not a key of this source. */
  parse(key: string): ParsedKey | undefined {
    if (!key.startsWith(this.prefix)) return undefined;
    const parts = key.slice(this.prefix.length).split('/');
    if (parts.length !== 3) return undefined;
    const [entity, project, last] = parts.map(dec) as [string | undefined, string | undefined, string | undefined];
    const rawLast = parts[2] ?? '';
    const m = VERSION_SUFFIX.exec(rawLast);
    const collection = m ? dec(rawLast.slice(0, m.index)) : last;
    if (!entity || !project || !collection) return undefined;
    if (!m) return { kind: 'model', path: { entity, project, collection } };
    return { kind: 'model_version', path: { entity, project, collection, index: Number(m[1]) } };
  }

  kindOf(key: string): ItemKind | undefined {
    return this.parse(key)?.kind;
  }
}

/** W&B's own path of a collection: `entity/project/collection`. */
export function collectionPathText(p: CollectionPath): string {
  return `${p.entity}/${p.project}/${p.collection}`;
}

/** W&B's own path of a version: `entity/project/collection:vN`. */
export function versionPathText(p: VersionPath): string {
  return `${collectionPathText(p)}:v${p.index}`;
}

/** The scope a path lives in: its project, `entity/project`. */
export function scopeOf(p: { entity: string; project: string }): string {
  return `${p.entity}/${p.project}`;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

// A key that is not valid percent-encoding is not one this codec made.
function dec(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

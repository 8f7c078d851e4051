import type { InventoryItem } from '../../../src/inventory';
import type { WandbKeys } from './key';

const SCHEME = /^wandb-artifact:\/\/\/?/;
// entity/project/collection:vN or entity/project/collection:alias, as `wandb.Api().artifact()` takes it.
const ARTIFACT_PATH = /^[^/:\s]+\/[^/:\s]+\/[^/:]+:[^/:\s]+$/;

/**
 * W&B artifact references (`wandb-artifact://acme/fraud/detector:v3`, or the
 * bare path `acme/fraud/detector:production`) → the key of the version they
 * name, as this run read it. A version is named by its own collection and
 * index, by an alias it holds, and by every registry collection it is linked
 * into (with that collection's index or aliases), so a deployment that names
 * a registry path links to the one version however it was reached.
 */
export class ArtifactReferences {
  private readonly byPath = new Map<string, string>();

  constructor(private readonly keys: WandbKeys) {}

  /** Learn the paths that name this item, if it is a version. */
  add(item: InventoryItem): void {
    if (item.kind !== 'model_version') return;
    const parsed = this.keys.parse(item.key);
    if (parsed?.kind !== 'model_version') return;
    const { entity, project, collection, index } = parsed.path;
    const own = `${entity}/${project}/${collection}`;
    this.byPath.set(`${own}:v${index}`, item.key);
    const entityOf = new Map<string, string>([[`${project}/${collection}`, entity]]);
    for (const link of (item.tags['wandb.links'] ?? '').split(', ').filter(Boolean)) {
      this.byPath.set(link, item.key);
      const [e, p, c] = link.slice(0, link.lastIndexOf(':')).split('/');
      if (e && p && c) entityOf.set(`${p}/${c}`, e);
    }
    for (const alias of item.aliases) {
      const at = alias.lastIndexOf(':');
      // Own aliases are bare; aliases held in a linked collection are `project/collection:alias`.
      const path = at < 0 ? `${own}:${alias}` : withEntity(alias.slice(0, at), alias.slice(at + 1), entityOf);
      if (path) this.byPath.set(path, item.key);
    }
  }

  /** The key of the version a reference names, or undefined when it is not a W&B path this run read. */
  keyOf(reference: string): string | undefined {
    const path = reference.trim().replace(SCHEME, '');
    return ARTIFACT_PATH.test(path) ? this.byPath.get(path) : undefined;
  }
}

function withEntity(collectionPath: string, alias: string, entityOf: ReadonlyMap<string, string>): string | undefined {
  const entity = entityOf.get(collectionPath);
  return entity ? `${entity}/${collectionPath}:${alias}` : undefined;
}

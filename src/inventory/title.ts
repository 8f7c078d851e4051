import type { InventoryItem } from './item';

/** How people name an item: "fraud-detector v3", an endpoint, "endpoint/component". */
export function titleOf(item: Pick<InventoryItem, 'kind' | 'name'> & Partial<{ version: string; endpoint: string; component: string }>): string {
  switch (item.kind) {
    case 'model_version':
      return `${item.name} v${item.version ?? '?'}`;
    case 'deployment':
      return item.component ? `${item.endpoint ?? item.name}/${item.component}` : (item.endpoint ?? item.name);
    default:
      return item.name;
  }
}

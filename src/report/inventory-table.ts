import { titleOf } from '../inventory';
import { esc, safeHref } from './escape';
import { count, money } from './format';
import { badge, table, timeTag, type Column } from './tables';
import type { StateItem } from './types';

const KIND_LABEL: Record<string, string> = { model: 'Model', model_version: 'Version', deployment: 'Deployment' };
const KIND_ORDER: Record<string, number> = { model: 0, model_version: 1, deployment: 2 };

// Sort values only where the cell's text would sort wrong: ten thousand rows make every attribute count.

/** Stage or status, as a person scans for it: a version's stage and aliases, a deployment's endpoint status. */
function state(i: StateItem): string {
  if (i.kind === 'model_version') return [i.stage, i.aliases.length ? `@${i.aliases.join(' @')}` : '', i.approval].filter(Boolean).join(' ') || i.status;
  if (i.kind === 'deployment') return [i.status, i.instanceType && `${i.instanceType} × ${i.instanceCount ?? 0}`, i.region].filter(Boolean).join(', ');
  return Object.keys(i.aliases).length ? Object.entries(i.aliases).map(([a, v]) => `@${a}=${v}`).join(' ') : '';
}

function name(i: StateItem): string {
  const href = safeHref(i.links.ui);
  const text = esc(titleOf(i));
  return href ? `<a href="${esc(href)}" title="${esc(i.key)}">${text}</a>` : `<span title="${esc(i.key)}">${text}</span>`;
}

const COLUMNS: ReadonlyArray<Column<StateItem>> = [
  { head: 'Kind', cell: (i) => esc(KIND_LABEL[i.kind]) },
  { head: 'Name', cell: name },
  { head: 'Source', cell: (i) => esc(i.source) },
  { head: 'Stage / status', cell: (i) => esc(state(i)) },
  { head: 'Owner', cell: (i) => esc(i.owner) },
  { head: 'Cost center', cell: (i) => esc(i.costCenter) },
  {
    head: 'Cost / month',
    num: true,
    cell: (i) => (i.cost ? `${esc(money(i.cost.monthly, i.cost.currency))}${i.cost.estimated ? ' <abbr title="estimated from the price table">est.</abbr>' : ''}` : ''),
    sortBy: (i) => i.cost?.monthly,
  },
  {
    head: 'Invocations',
    num: true,
    cell: (i) => (i.usage ? `${esc(count(i.usage.invocations))} <small>/ ${esc(i.usage.windowDays)} d</small>` : ''),
    sortBy: (i) => i.usage?.invocations,
  },
  { head: 'Findings', cell: (i) => (i.findings ?? []).map((f) => badge(f.type, f.severity)).join(' '), sortBy: (i) => i.findings?.length || undefined },
  { head: 'First seen', cell: (i) => timeTag(i.firstSeen.slice(0, 10), i.firstSeen.slice(0, 10)) },
];

/**
 * Every item in state: models, then versions, then deployments, each by
 * name. The page's script sorts by any column and filters by text,
 * kind and "has findings"; the controls stay hidden without it.
 */
export function inventoryTable(items: readonly StateItem[]): string {
  const collator = new Intl.Collator('en', { numeric: true });
  const titled = items.map((item) => ({ item, title: titleOf(item) }));
  titled.sort((a, b) => (KIND_ORDER[a.item.kind] ?? 9) - (KIND_ORDER[b.item.kind] ?? 9) || collator.compare(a.title, b.title));
  const rows = titled.map((t) => t.item);
  const controls =
    `<form class="filters" id="inventory-filters" hidden role="search" aria-controls="inventory-table">` +
    `<label>Filter <input type="search" id="inventory-q" placeholder="name, owner, cost center…" autocomplete="off"></label>` +
    `<label>Kind <select id="inventory-kind"><option value="">all</option><option value="model">models</option><option value="model_version">versions</option><option value="deployment">deployments</option></select></label>` +
    `<label class="check"><input type="checkbox" id="inventory-findings"> with findings only</label>` +
    `<output id="inventory-count" for="inventory-q" aria-live="polite">${esc(count(rows.length))} items</output></form>`;
  return (
    controls +
    table({
      id: 'inventory-table',
      caption: `${count(rows.length)} items as the last sync recorded them`,
      columns: COLUMNS,
      rows,
      empty: 'No items recorded yet: run `masync sync` first.',
      sortable: true,
      rowAttrs: (i) => ({ 'data-kind': i.kind, ...(i.findings?.length ? { 'data-f': '1' } : {}) }),
    })
  );
}

import { esc } from './escape';

/** One column: its header, the cell's HTML (already escaped), and how it sorts when that is not its text. */
export interface Column<T> {
  head: string;
  cell(row: T): string;
  /** The value the table sorts by (numbers sort as numbers); undefined, or no sortBy: the cell's text. */
  sortBy?(row: T): string | number | undefined;
  /** Right-aligned figures. */
  num?: boolean;
}

export interface TableOptions<T> {
  id: string;
  caption: string;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  /** What to say instead of an empty table. */
  empty: string;
  /** Sortable headers (the page's script adds the buttons; without it the table reads the same). */
  sortable?: boolean;
  /** On a phone, each row becomes a card of label: value lines (for short tables with long text). */
  stack?: boolean;
  /** Attributes of each row (escaped here), e.g. what the inventory filter reads. */
  rowAttrs?(row: T): Record<string, string>;
  /** A last row (already escaped), e.g. a total. */
  foot?: string;
}

/** An accessible table (caption, column headers with scope), in a box that scrolls sideways on a narrow screen. */
export function table<T>(o: TableOptions<T>): string {
  if (o.rows.length === 0) return `<p class="empty">${esc(o.empty)}</p>`;
  const classes = [o.sortable ? 'sortable' : '', o.stack ? 'stack' : ''].filter(Boolean).join(' ');
  const head = o.columns.map((c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${esc(c.head)}</th>`).join('');
  const body = o.rows
    .map((row) => {
      const attrs = Object.entries(o.rowAttrs?.(row) ?? {})
        .map(([k, v]) => ` ${k}="${esc(v)}"`)
        .join('');
      const cells = o.columns.map((c) => {
        const v = c.sortBy?.(row);
        const label = o.stack ? ` data-label="${esc(c.head)}"` : '';
        return `<td${c.num ? ' class="num"' : ''}${v !== undefined ? ` data-v="${esc(v)}"` : ''}${label}>${c.cell(row)}</td>`;
      });
      return `<tr${attrs}>${cells.join('')}</tr>`;
    })
    .join('\n');
  return (
    `<div class="scroll"><table id="${esc(o.id)}"${classes ? ` class="${classes}"` : ''}>` +
    `<caption>${esc(o.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${o.foot ? `<tfoot>${o.foot}</tfoot>` : ''}</table></div>`
  );
}

/** A finding type as a coloured label (its severity sets the colour). */
export function badge(text: string, severity: string): string {
  return `<span class="badge sev-${esc(severity.replace(/[^a-z]/g, ''))}">${esc(text)}</span>`;
}

/** A date or instant a person reads (`2026-11-23`, `2026-11-23 12:00 UTC`) that never breaks across lines. */
export function timeTag(iso: string | undefined, text: string): string {
  if (!iso) return '';
  return iso === text ? `<time>${esc(text)}</time>` : `<time datetime="${esc(iso)}">${esc(text)}</time>`;
}

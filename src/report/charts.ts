import { esc } from './escape';

/** One bar: what it is, how long it is, and the figure printed beside it. */
export interface Bar {
  label: string;
  value: number;
  text: string;
  /** A CSS class for the bar (its colour). */
  cls?: string;
}

const WIDTH = 400;
const ROW = 42;
const VALUE_SPACE = 110;
const MAX_LABEL = 44;

/**
 * A horizontal bar chart as inline SVG: each label on its own line above its
 * bar, so it stays readable when the chart shrinks to a phone's width. The
 * chart has a title and a description for screen readers; the page puts the
 * same figures in a table beside it.
 */
export function barChart(opts: { id: string; title: string; desc: string; bars: readonly Bar[]; max?: number }): string {
  const max = opts.max ?? Math.max(0, ...opts.bars.map((b) => b.value));
  const height = opts.bars.length * ROW + 6;
  const rows = opts.bars.map((b, i) => {
    const y = i * ROW + 4;
    const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, ((WIDTH - VALUE_SPACE) * b.value) / max) : 0;
    const label = b.label.length > MAX_LABEL ? `${b.label.slice(0, MAX_LABEL - 1)}…` : b.label;
    return (
      `<g><title>${esc(`${b.label}: ${b.text}`)}</title>` +
      `<text class="bar-label" x="0" y="${y + 14}">${esc(label)}</text>` +
      `<rect class="bar ${esc(b.cls ?? '')}" x="0" y="${y + 20}" width="${w.toFixed(1)}" height="15" rx="2"></rect>` +
      `<text class="bar-value" x="${(w + 6).toFixed(1)}" y="${y + 32}">${esc(b.text)}</text></g>`
    );
  });
  return (
    `<svg class="chart" id="${esc(opts.id)}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${esc(opts.id)}-t ${esc(opts.id)}-d">` +
    `<title id="${esc(opts.id)}-t">${esc(opts.title)}</title><desc id="${esc(opts.id)}-d">${esc(opts.desc)}</desc>${rows.join('')}</svg>`
  );
}

/** One column: the day it stands for, its height, and the figure its tooltip gives. */
export interface Column {
  label: string;
  value: number;
  text: string;
}

const COLUMN_AREA = 160;

/**
 * Vertical columns over time as inline SVG, oldest on the left: the first and
 * last labels and the highest figure are printed, every column has its
 * figure as a tooltip, and the page puts all of them in a table beside it.
 */
export function columnChart(opts: { id: string; title: string; desc: string; columns: readonly Column[]; peak: string }): string {
  const max = Math.max(0, ...opts.columns.map((c) => c.value));
  const n = opts.columns.length;
  const step = WIDTH / Math.max(1, n);
  const width = Math.max(1, step * 0.7);
  const top = 22;
  const rows = opts.columns.map((c, i) => {
    const h = max > 0 ? Math.max(c.value > 0 ? 1 : 0, (COLUMN_AREA * c.value) / max) : 0;
    return `<g><title>${esc(`${c.label}: ${c.text}`)}</title><rect class="bar" x="${(i * step).toFixed(1)}" y="${(top + COLUMN_AREA - h).toFixed(1)}" width="${width.toFixed(1)}" height="${h.toFixed(1)}" rx="1"></rect></g>`;
  });
  const first = opts.columns[0]?.label ?? '';
  const last = opts.columns[n - 1]?.label ?? '';
  const axis = top + COLUMN_AREA + 18;
  return (
    `<svg class="chart" id="${esc(opts.id)}" viewBox="0 0 ${WIDTH} ${axis + 6}" role="img" aria-labelledby="${esc(opts.id)}-t ${esc(opts.id)}-d">` +
    `<title id="${esc(opts.id)}-t">${esc(opts.title)}</title><desc id="${esc(opts.id)}-d">${esc(opts.desc)}</desc>` +
    `<text class="bar-value" x="0" y="14">${esc(opts.peak)}</text>${rows.join('')}` +
    `<text class="bar-value" x="0" y="${axis}">${esc(first)}</text>` +
    (n > 1 ? `<text class="bar-value" x="${WIDTH}" y="${axis}" text-anchor="end">${esc(last)}</text>` : '') +
    `</svg>`
  );
}

/** A half-circle gauge of a 0–1 score, coloured by `cls`, with the figure and a word in the middle. */
export function gauge(opts: { id: string; title: string; score: number; big: string; small: string; cls: string }): string {
  const [cx, cy, r] = [110, 104, 84];
  const s = Math.min(1, Math.max(0, opts.score));
  const angle = Math.PI * (1 - s);
  const end = `${(cx + r * Math.cos(angle)).toFixed(2)} ${(cy - r * Math.sin(angle)).toFixed(2)}`;
  const track = `M ${cx - r} ${cy} A ${r} ${r} 0 0 1 ${cx + r} ${cy}`;
  const value = s > 0 ? `<path class="gauge-value ${esc(opts.cls)}" d="M ${cx - r} ${cy} A ${r} ${r} 0 0 1 ${end}"></path>` : '';
  return (
    `<svg class="gauge" id="${esc(opts.id)}" viewBox="0 0 220 128" role="img" aria-labelledby="${esc(opts.id)}-t">` +
    `<title id="${esc(opts.id)}-t">${esc(`${opts.title}: ${opts.big}, ${opts.small}`)}</title>` +
    `<path class="gauge-track" d="${track}"></path>${value}` +
    `<text class="gauge-big" x="${cx}" y="${cy - 14}">${esc(opts.big)}</text>` +
    `<text class="gauge-small" x="${cx}" y="${cy + 18}">${esc(opts.small)}</text></svg>`
  );
}

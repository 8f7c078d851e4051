import type { Money } from './types';

/** `$1,234.50`, `EUR 80.00`: currency codes other than USD are spelled out, as the CLI does. */
export function money(n: number, currency = 'USD'): string {
  const digits = n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency === 'USD' ? `$${digits}` : `${currency} ${digits}`;
}

/** Several currencies side by side, never added: `$1,200.00 + EUR 80.00`. */
export function moneyList(list: readonly Money[]): string {
  return list.length ? list.map((m) => money(m.monthly, m.currency)).join(' + ') : money(0);
}

/** `2026-11-23 12:00 UTC`: one reading whatever the viewer's time zone. */
export function when(iso: string | undefined): string {
  if (!iso) return '';
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

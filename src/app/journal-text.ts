import type { JournalRow } from '../state/journal-rows';

/** What of a journal entry the audit and history commands describe. */
type WriteFacts = Pick<JournalRow, 'sink' | 'op' | 'key' | 'otherKey' | 'recordId' | 'changes' | 'result' | 'error'>;

const SHOWN_FIELDS = 6;

/**
 * One sentence for one write: `cmdb: updated fraud-detector v3 (sys_id 9f…):
 * u_ml_stage "Staging" → "Production"`. Values are the ones the journal kept
 * (already redacted when they were written).
 */
export function describeWrite(w: WriteFacts, title: (key: string) => string): string {
  const what = title(w.key);
  const id = w.recordId ? ` (${w.recordId})` : '';
  let text: string;
  switch (w.op) {
    case 'create':
      text = `created ${what}${id}${w.changes ? `: ${fields(w.changes, true)}` : ' (its payload is past the journal retention)'}`;
      break;
    case 'update':
      text = `updated ${what}${id}: ${fields(w.changes, false)}`;
      break;
    case 'retire':
      text = `retired ${what}${id}`;
      break;
    case 'relate':
    case 'unrelate': {
      const rel = (w.changes ?? {}) as { type?: string };
      const other = w.otherKey ? title(w.otherKey) : 'another record';
      text = `${w.op === 'relate' ? 'related' : 'removed the relation between'} ${what} ${w.op === 'relate' ? 'to' : 'and'} ${other}${rel.type ? ` (${rel.type})` : ''}`;
      break;
    }
    default:
      text = `${w.op} ${what}${id}`;
  }
  const outcome = w.result === 'ok' ? '' : w.result === 'unknown' ? ' — outcome unknown (settled by lookup on the next run)' : ` — failed${w.error ? `: ${w.error}` : ''}`;
  return `${w.sink}: ${text}${outcome}`;
}

function fields(changes: unknown, create: boolean): string {
  const entries = Object.entries((changes ?? {}) as Record<string, { from?: string | null; to?: string | null }>);
  if (entries.length === 0) return 'no fields';
  const shown = entries.slice(0, SHOWN_FIELDS).map(([f, c]) => (create ? `${f} ${show(c.to)}` : `${f} ${show(c.from)} → ${show(c.to)}`));
  return `${shown.join(', ')}${entries.length > SHOWN_FIELDS ? ` and ${entries.length - SHOWN_FIELDS} more field(s)` : ''}`;
}

function show(v: string | null | undefined): string {
  if (v === null || v === undefined) return '(none)';
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}

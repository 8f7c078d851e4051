/** A registry change between two recorded states of one item, as `masync history` tells it. */
export interface ItemChange {
  type: 'stage' | 'aliases' | 'changed';
  text: string;
}

/** Fields that move with every change (updatedAt) or restate others (latestVersions), and those told apart. */
const SKIPPED = new Set(['updatedAt', 'latestVersions', 'stage', 'aliases']);
const SHOWN = 4;

/**
 * What changed from `before` to `after`: the stage; the aliases (on a model,
 * which version each alias names; on a version, when `versionAliases`, the
 * aliases it gained and lost); and every other field, values shown for
 * scalars and metrics, names for params and tags.
 */
export function itemChanges(kind: string, before: Record<string, unknown>, after: Record<string, unknown>, versionAliases: boolean): ItemChange[] {
  const out: ItemChange[] = [];
  if (before.stage !== after.stage) out.push({ type: 'stage', text: `stage ${text(before.stage) ?? 'none'} → ${text(after.stage) ?? 'none'}` });
  const aliases = kind === 'model' ? modelAliases(before.aliases, after.aliases) : versionAliases ? ownAliases(before.aliases, after.aliases) : [];
  if (aliases.length) out.push({ type: 'aliases', text: aliases.join('; ') });
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => !SKIPPED.has(f)).sort();
  const changed = fields.map((f) => fieldChange(f, before[f], after[f])).filter((c): c is string => c !== undefined);
  if (changed.length) out.push({ type: 'changed', text: changed.join('; ') });
  return out;
}

function modelAliases(before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, string>;
  const b = (after ?? {}) as Record<string, string>;
  const out: string[] = [];
  for (const alias of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (a[alias] === b[alias]) continue;
    if (a[alias] === undefined) out.push(`alias ${alias} set on v${b[alias]}`);
    else if (b[alias] === undefined) out.push(`alias ${alias} removed (was on v${a[alias]})`);
    else out.push(`alias ${alias} moved v${a[alias]} → v${b[alias]}`);
  }
  return out;
}

function ownAliases(before: unknown, after: unknown): string[] {
  const a = new Set((before ?? []) as string[]);
  const b = new Set((after ?? []) as string[]);
  return [...[...b].filter((x) => !a.has(x)).map((x) => `alias ${x} added`), ...[...a].filter((x) => !b.has(x)).map((x) => `alias ${x} removed`)];
}

function fieldChange(field: string, a: unknown, b: unknown): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (field === 'metrics') {
    const x = (a ?? {}) as Record<string, number>;
    const y = (b ?? {}) as Record<string, number>;
    const moved = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort().filter((k) => x[k] !== y[k]);
    const shown = moved.slice(0, SHOWN).map((k) => `${k} ${x[k] ?? '(none)'} → ${y[k] ?? '(none)'}`);
    return `metrics ${shown.join(', ')}${moved.length > SHOWN ? ` and ${moved.length - SHOWN} more` : ''}`;
  }
  const sa = text(a);
  const sb = text(b);
  if ((a === undefined || sa !== undefined) && (b === undefined || sb !== undefined)) return `${field} ${sa ?? '(none)'} → ${sb ?? '(none)'}`;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const names = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort().filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]));
    return `${field} changed (${names.slice(0, SHOWN).join(', ')}${names.length > SHOWN ? ` and ${names.length - SHOWN} more` : ''})`;
  }
  return `${field} changed`;
}

/** A scalar as text (strings quoted when long); undefined for objects and arrays. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 77)}...` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

import type { SourceRead } from './read-sources';

import type { HeldBack } from '../engine/types';

export interface RetirePolicy {
  /** Whether the record of this key may be retired this run, as far as its source's read goes. */
  mayRetire(source: string, key: string): boolean;
  held: HeldBack[];
  /**
   * Per source read OK: items per scope to compare the next read with. A scope the guard held
   * back (or that failed) keeps its old figure, so a short read never becomes the baseline.
   */
  baselines: Map<string, { scopes: Record<string, number>; trusted: boolean }>;
}

export interface GuardOptions {
  minFractionOfLastRun: number;
  /** Sources whose short read the operator accepts as real (`--accept-short-read`). */
  accepted: ReadonlySet<string>;
}

/**
 * Which records may be retired: those of sources (and scopes) that read
 * completely and did not come back suspiciously small compared with their
 * last trusted read — an empty page from a misconfigured proxy must not
 * retire a registry, and must not become the baseline the next run trusts.
 */
export function retirePolicy(
  reads: readonly SourceRead[],
  scopeOf: (source: string, key: string) => string,
  baseline: (source: string) => Record<string, number> | undefined,
  opts: GuardOptions,
): RetirePolicy {
  const held: HeldBack[] = [];
  const heldSources = new Set<string>();
  const heldScopes = new Map<string, Set<string>>();
  const heldKeys = new Set<string>();
  const baselines = new Map<string, { scopes: Record<string, number>; trusted: boolean }>();
  const hold = (source: string, scope: string, h: HeldBack) => {
    held.push(h);
    heldScopes.set(source, (heldScopes.get(source) ?? new Set()).add(scope));
  };

  for (const r of reads) {
    if (!r.ok) {
      heldSources.add(r.source);
      held.push({ source: r.source, reason: 'source-failed', detail: `source ${r.source} failed to read (${r.error ?? 'unknown error'}); none of its records are retired this run` });
      continue;
    }
    const before = baseline(r.source) ?? {};
    const next: Record<string, number> = {};
    let trusted = true;
    const scopes = new Set([...Object.keys(before), ...Object.keys(r.scopeCounts), ...r.failedScopes.keys()]);
    for (const scope of [...scopes].sort()) {
      const count = r.scopeCounts[scope] ?? 0;
      const last = before[scope];
      const where = scope === '' ? `source ${r.source}` : `source ${r.source} scope ${scope}`;
      const failed = r.failedScopes.get(scope);
      if (failed !== undefined) {
        hold(r.source, scope, { source: r.source, scope, reason: 'scope-failed', detail: `${where} could not be read (${failed}); none of its records are retired this run` });
        if (last !== undefined) next[scope] = last;
        continue;
      }
      if (last !== undefined && count < opts.minFractionOfLastRun * last && !opts.accepted.has(r.source)) {
        trusted = false;
        next[scope] = last;
        hold(r.source, scope, {
          source: r.source,
          ...(scope ? { scope } : {}),
          reason: 'short-read',
          detail: `${where} returned ${count} item(s), fewer than ${Math.round(opts.minFractionOfLastRun * 100)}% of the ${last} of its last trusted read; none of its records are retired this run (if the registry really shrank, run once with --accept-short-read ${r.source})`,
        });
        continue;
      }
      if (count > 0 || last !== undefined) next[scope] = count;
    }
    // One held-back entry per scope, however many of its records were skipped: a bad page can hold thousands.
    const unkeyedIn = new Map<string, Array<SourceRead['skipped'][number]>>();
    for (const s of r.skipped) {
      if (s.key !== undefined) heldKeys.add(s.key);
      else if (s.scope !== undefined) {
        const list = unkeyedIn.get(s.scope);
        if (list) list.push(s);
        else unkeyedIn.set(s.scope, [s]);
      } else heldSources.add(r.source);
    }
    for (const [scope, list] of unkeyedIn) {
      const first = list[0] as SourceRead['skipped'][number];
      const what = list.length === 1 ? `${first.item} in scope ${scope} (${first.error})` : `${list.length} record(s) in scope ${scope} it could not identify (${first.item}: ${first.error})`;
      hold(r.source, scope, { source: r.source, scope, reason: 'skipped-records', detail: `source ${r.source} skipped ${what}; nothing in that scope is retired this run` });
    }
    const unkeyed = r.skipped.filter((s) => s.key === undefined && s.scope === undefined);
    if (unkeyed.length) held.push({ source: r.source, reason: 'skipped-records', detail: `source ${r.source} skipped ${unkeyed.length} record(s) it could not identify (${unkeyed[0]?.item}: ${unkeyed[0]?.error}); none of its records are retired this run` });
    baselines.set(r.source, { scopes: next, trusted });
  }

  return {
    held,
    baselines,
    mayRetire(source, key) {
      if (heldSources.has(source) || heldKeys.has(key) || !baselines.has(source)) return false;
      return !heldScopes.get(source)?.has(scopeOf(source, key));
    },
  };
}

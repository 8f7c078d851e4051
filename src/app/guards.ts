import type { SourceRead } from './read-sources';

/**
 * Which sources may have their vanished items retired this run: those that
 * read successfully and did not come back suspiciously small compared with
 * their last good sync (an empty page from a misconfigured proxy must not
 * retire a whole registry).
 */
export function retirableSources(
  reads: readonly SourceRead[],
  lastGood: (source: string) => number | undefined,
  minFractionOfLastRun: number,
): { retirable: Set<string>; notes: string[] } {
  const retirable = new Set<string>();
  const notes: string[] = [];
  for (const r of reads) {
    if (!r.ok) {
      notes.push(`source ${r.source} failed to read; none of its records are retired this run`);
      continue;
    }
    const previous = lastGood(r.source);
    if (previous !== undefined && r.items.length < minFractionOfLastRun * previous) {
      notes.push(
        `source ${r.source} returned ${r.items.length} item(s), fewer than ${Math.round(minFractionOfLastRun * 100)}% of the ${previous} it returned last time; none of its records are retired this run`,
      );
      continue;
    }
    retirable.add(r.source);
  }
  return { retirable, notes };
}

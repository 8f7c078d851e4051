/**
 * What a pinned vendor model reference looks like: a release date
 * (gpt-4o-2024-08-06, claude-3-5-sonnet-20241022, …@20241022), a dated
 * month (mistral-large-2407, gpt-4-0613), a numbered snapshot
 * (gemini-1.5-pro-002) or a Bedrock version suffix (…-v2:0).
 */
export const PINNED_PATTERNS: string[] = ['\\d{4}-\\d{2}-\\d{2}', '(^|\\D)20\\d{6}(\\D|$)', '-\\d{4}$', '-\\d{3}$', ':\\d+$'];

const FLOATING_WORD = /(^|[^a-z])latest([^a-z]|$)/i;

/** Whether a vendor model reference names one fixed snapshot, rather than whatever the vendor serves under that name today. */
export function isPinned(reference: string, patterns: readonly RegExp[]): boolean {
  const ref = reference.trim();
  if (FLOATING_WORD.test(ref)) return false;
  return patterns.some((p) => p.test(ref));
}

/** The first of `keys` found in these maps (version tags, version params, model tags), with where it was found. */
export function vendorReference(keys: readonly string[], places: ReadonlyArray<[string, Readonly<Record<string, string>> | undefined]>): { value: string; where: string } | undefined {
  for (const key of keys) {
    for (const [place, map] of places) {
      const value = map?.[key]?.trim();
      if (value) return { value, where: `${place} ${key}` };
    }
  }
  return undefined;
}

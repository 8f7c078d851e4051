import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { planToJson } from '../engine/render';
import { ConfigError, MasyncError } from '../errors';
import { canonicalJson, itemHash, sha256 } from '../inventory';
import type { PlannedRun, PlanOptions } from './compute-plan';
import type { Runtime } from './runtime';

/** A saved plan refused because what it was made from has changed since. */
export class StalePlanError extends MasyncError {}

/**
 * `masync plan --out FILE`: the plan a person approves, with fingerprints of
 * everything it was computed from (the config and mappings, each source's
 * items, each sink's records and relations). `masync sync --plan FILE`
 * recomputes under the lease and applies only if nothing changed, so what
 * is applied is exactly what was approved. Holds no secret.
 */
export const planFileSchema = z.object({
  formatVersion: z.literal(2),
  kind: z.literal('masync-plan'),
  createdAt: z.string(),
  config: z.object({ file: z.string(), hash: z.string() }),
  options: z.object({ sourceNames: z.array(z.string()).optional(), acceptShortRead: z.array(z.string()).optional() }),
  fingerprints: z.object({ sources: z.record(z.string(), z.string()), sinks: z.record(z.string(), z.string()), plan: z.string() }),
  plan: z.record(z.string(), z.unknown()),
});
export type PlanFile = z.infer<typeof planFileSchema>;

export function writePlanFile(path: string, rt: Runtime, planned: PlannedRun, opts: PlanOptions): void {
  const file: PlanFile = {
    formatVersion: 2,
    kind: 'masync-plan',
    createdAt: rt.clock.now().toISOString(),
    config: { file: rt.loaded.file, hash: configHash(rt) },
    options: { ...(opts.sourceNames?.length ? { sourceNames: [...opts.sourceNames] } : {}), ...(opts.acceptShortRead?.length ? { acceptShortRead: [...opts.acceptShortRead] } : {}) },
    fingerprints: fingerprints(planned),
    plan: planToJson(planned.plan),
  };
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
}

export function readPlanFile(path: string): PlanFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path}: not a readable plan file: ${err instanceof Error ? err.message : String(err)}`, { file: path });
  }
  const parsed = planFileSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(`${path}: not a masync plan file (made by \`masync plan --out\`): ${parsed.error.issues[0]?.message ?? 'invalid'}`, { file: path });
  return parsed.data;
}

/** Throws StalePlanError, naming what changed, unless the plan recomputed now is the one saved. */
export function verifyPlanFile(file: PlanFile, rt: Runtime, planned: PlannedRun, opts: PlanOptions): void {
  const made = `the plan was made at ${file.createdAt}; run \`masync plan --out FILE\` again and review it`;
  if (file.config.hash !== configHash(rt)) throw new StalePlanError(`saved plan is stale: the config or a mapping changed since; ${made}`);
  if (canonicalJson(file.options.sourceNames ?? []) !== canonicalJson(opts.sourceNames ?? [])) throw new StalePlanError(`saved plan was made for --source ${(file.options.sourceNames ?? ['(all)']).join(' ')}; sync with the same sources`);
  const now = fingerprints(planned);
  for (const kind of ['sources', 'sinks'] as const) {
    const names = new Set([...Object.keys(file.fingerprints[kind]), ...Object.keys(now[kind])]);
    const changed = [...names].filter((n) => file.fingerprints[kind][n] !== now[kind][n]);
    if (changed.length) throw new StalePlanError(`saved plan is stale: ${kind === 'sources' ? 'source' : 'sink'} ${changed.join(', ')} changed since; ${made}`);
  }
  if (file.fingerprints.plan !== now.plan) throw new StalePlanError(`saved plan is stale: the plan computed now differs from the saved one; ${made}`);
}

function fingerprints(planned: PlannedRun): PlanFile['fingerprints'] {
  const sources: Record<string, string> = {};
  for (const r of planned.reads) sources[r.source] = r.ok ? sha256(r.items.map((i) => `${i.key}\u0000${itemHash(i)}`).sort().join('\n')) : `failed: ${r.error ?? ''}`;
  const sinks: Record<string, string> = {};
  for (const s of planned.sinks) {
    const records = s.read.actual.map((r) => canonicalJson([r.id, r.identity, r.class, r.fields])).sort();
    const relations = s.read.relations.map((r) => canonicalJson([r.id, r.type, r.parentId, r.childId])).sort();
    sinks[s.handle.sink.name] = sha256(`${records.join('\n')}\n--\n${relations.join('\n')}`);
  }
  return { sources, sinks, plan: sha256(canonicalJson(planToJson(planned.plan))) };
}

/** The config file as written (with `${ENV}` references, never their values) and every mapping it uses. */
function configHash(rt: Runtime): string {
  const parts = [readFileSync(rt.loaded.file, 'utf8'), ...rt.sinks.map((h) => canonicalJson(h.mapping))];
  return sha256(parts.join('\n--\n'));
}

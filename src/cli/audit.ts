import { InvalidArgumentError, type Command } from 'commander';
import { audit, type AuditedInterval, type AuditedVersion, type AuditQuery, type AuditReport } from '../app/audit';
import { loadStatePath } from '../config/load';
import { JSON_FORMAT_VERSION } from '../engine/render';
import { UsageError } from '../errors';
import { withCommonOptions } from './common-options';
import type { CommonOptions } from './context';
import { write, type CliIO } from './io';
import { withState } from './state-only';

interface AuditOptions extends CommonOptions {
  at?: string;
  from?: string;
  to?: string;
  deployment?: string;
  json?: boolean;
}

/** What ran where, when: from the state file alone (no credential, no API call, nothing created). */
export function commandAudit(program: Command, io: CliIO): void {
  withCommonOptions(program.command('audit').description('which model version each deployment served at a time (or in a window), on what hardware, trained how, and what changed it'), io.env)
    .option('--at <time>', 'the instant to answer for (ISO 8601 with a zone, e.g. 2026-09-30T12:00Z, or a UTC date)', instant('--at'))
    .option('--from <time>', 'start of a window: list every interval in it', instant('--from'))
    .option('--to <time>', 'end of the window (default: now)', instant('--to'))
    .option('--deployment <name>', 'only this deployment (endpoint, endpoint/component, or key)')
    .option('--json', 'print as one JSON object')
    .addHelpText('after', '\nExamples:\n  masync audit --at 2026-09-30T12:00Z --deployment fraud-scoring\n  masync audit --from 2026-09-01 --to 2026-10-01 --json')
    .action((opts: AuditOptions) => {
      const query = queryOf(opts);
      const { statePath } = loadStatePath(opts.config, io.env);
      const empty = opts.json ? { formatVersion: JSON_FORMAT_VERSION, query, intervals: [], notes: ['no state file: run `masync sync` first'] } : `No state file at ${statePath} yet: run \`masync sync\` first.`;
      withState(statePath, io, empty, (db, keys) => {
        const report = audit(db, keys, query);
        write(io.stdout, opts.json ? JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, ...report }) : renderAudit(report));
      });
    });
}

function queryOf(opts: AuditOptions): AuditQuery {
  const deployment = opts.deployment !== undefined ? { deployment: opts.deployment } : {};
  if (opts.at !== undefined) {
    if (opts.from !== undefined || opts.to !== undefined) throw new UsageError('give --at for an instant, or --from (and --to) for a window, not both');
    return { at: opts.at, ...deployment };
  }
  if (opts.from === undefined) throw new UsageError('give --at TIME, or --from TIME [--to TIME]');
  const to = opts.to ?? new Date().toISOString();
  if (to < opts.from) throw new UsageError(`--to ${to} is before --from ${opts.from}`);
  return { from: opts.from, to, ...deployment };
}

/** ISO 8601 with a zone (seconds optional), or a date (midnight UTC); normalised to the form state stores. */
function instant(flag: string): (value: string) => string {
  return (value) => {
    const v = value.trim();
    const date = /^\d{4}-\d{2}-\d{2}$/.test(v);
    const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(v);
    const t = Date.parse(date ? `${v}T00:00:00Z` : v);
    if (!(date || zoned) || !Number.isFinite(t)) throw new InvalidArgumentError(`${flag}: expected a date (2026-09-30) or a time with its zone (2026-09-30T12:00Z, 2026-09-30T14:00+02:00)`);
    return new Date(t).toISOString();
  };
}

function renderAudit(r: AuditReport): string {
  const when = 'at' in r.query ? `At ${r.query.at}` : `From ${r.query.from} to ${r.query.to}`;
  const lines = [`${when}${r.query.deployment ? `, deployment ${r.query.deployment}` : ''}: ${r.intervals.length} interval(s).`];
  for (const i of r.intervals) lines.push('', ...intervalLines(i));
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}

function intervalLines(i: AuditedInterval): string[] {
  const lines = [`${i.deployment.title}  (${i.deployment.key}${i.deployment.source ? `, ${i.deployment.source}` : ''})`];
  const field = (name: string, value: string) => lines.push(`  ${name.padEnd(10)}${value}`);
  field('interval', `${i.validFrom} → ${i.validTo ?? 'still holding'}${i.changedAfter ? `  (changed after the sync at ${i.changedAfter})` : ''}`);
  field('status', i.status);
  field('hardware', `${i.instanceType ?? 'unknown'}${i.instanceCount !== undefined ? ` × ${i.instanceCount}` : ''}${variantText(i.variants)}`);
  if (i.serves.length === 0) field('serves', 'no registered version (shadow AI)');
  i.serves.forEach((v, n) => {
    field(n === 0 ? 'serves' : '', `${v.title}  (${v.key})`);
    for (const l of versionLines(v)) field('', `  ${l}`);
  });
  field('opened by', `${i.openedBy.runId ? `sync ${i.openedBy.runId}` : 'a sync no longer in state'}: ${i.openedBy.changes.join('; ')}`);
  for (const w of i.openedBy.writes) field('', `  ${w.text}`);
  return lines;
}

function versionLines(v: AuditedVersion): string[] {
  if (!v.known) return ['state holds no record of this version from that time'];
  const out = [`stage ${v.stage ?? 'none'}${v.aliases?.length ? `, aliases ${v.aliases.join(', ')}` : ''}${v.approval ? `, approval ${v.approval}` : ''}${v.owner ? `, owner ${v.owner}` : ''}${v.gone ? ' (gone from its registry by then)' : ''}`];
  if (v.runId || v.runName) out.push(`run ${v.runId ?? ''}${v.runName ? ` (${v.runName})` : ''}`);
  for (const d of v.datasets ?? []) out.push(`dataset ${d.name}${d.digest ? ` digest ${d.digest}` : ''}${d.context ? ` (${d.context})` : ''}${d.uri ? ` at ${d.uri}` : ''}`);
  const metrics = Object.entries(v.metrics ?? {});
  if (metrics.length) out.push(`metrics ${metrics.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  const params = Object.entries(v.params ?? {});
  if (params.length) out.push(`params ${params.map(([k, p]) => `${k}=${p}`).join(', ')}`);
  out.push(`as recorded since ${v.recordedSince}`);
  return out;
}

function variantText(variants: unknown[]): string {
  const vs = variants as Array<{ name?: string; instanceType?: string; count?: number; serverless?: unknown }>;
  if (vs.length < 2) return '';
  return ` (${vs.map((v) => `${v.name ?? '?'}: ${v.serverless ? 'serverless' : `${v.instanceType ?? '?'} × ${v.count ?? '?'}`}`).join(', ')})`;
}

import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { audit } from '../../src/app/audit';
import { summarizeChange } from '../../src/app/change-summary';
import { history } from '../../src/app/history';
import { statusReport } from '../../src/app/status';
import type { DeploymentItem, InventoryItem, ModelItem, ModelVersionItem } from '../../src/inventory';
import { openDb, type Db } from '../../src/state/db';
import { recordFindings, type RaisedFinding } from '../../src/state/findings';
import { recordItemHistory } from '../../src/state/item-history';
import { recordItems } from '../../src/state/items';
import { appendJournal, type JournalEntry } from '../../src/state/journal';
import { KeyIds } from '../../src/state/keys';
import { recordObservations, type Observation } from '../../src/state/observations';
import { finishRun, startRun } from '../../src/state/runs';

/**
 * The audit trail at a year's scale: builds a state file of hourly runs
 * (`--runs`, default 10,000) with the state module's own writers — models
 * promoting a new version about monthly, endpoints following them and
 * autoscaling about daily, findings opening and clearing, every change
 * journalled — then times what `masync audit`, `history` and `status` ask.
 *
 *   npm run build && node dist/test/bench/audit-queries.js --runs 10000 --models 150
 */
const HOUR = 3_600_000;
const START = Date.parse('2025-11-01T00:00:00Z');

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'masync-bench-audit-')), 'state.db');
  const db = openDb(file);
  const keys = new KeyIds(db);
  const built = Date.now();
  const perRun = build(db, keys, args);
  const buildSec = (Date.now() - built) / 1000;
  const counts = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  process.stdout.write(
    `state file: ${args.runs} runs, ${args.models} models, ${counts('items')} items, ${counts('item_history')} item history rows, ${counts('observations')} observation intervals, ` +
      `${counts('journal')} journal entries, ${counts('findings')} findings; ${(statSync(file).size / 1e6).toFixed(1)} MB; built in ${buildSec.toFixed(1)} s ` +
      `(change summary ${perRun.toFixed(2)} ms per run)\n\n`,
  );
  const at = (h: number) => new Date(START + h * HOUR).toISOString();
  const rows: Array<[string, number, string]> = [];
  const time = (label: string, fn: () => unknown) => {
    const ms: number[] = [];
    let out: unknown;
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      out = fn();
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    rows.push([label, ms.sort((a, b) => a - b)[2] as number, describe(out)]);
  };
  const k = new KeyIds(db);
  time('audit --at (mid-year, every deployment)', () => audit(db, k, { at: at(args.runs / 2 + 0.5) }).intervals);
  time('audit --at (last hour, every deployment)', () => audit(db, k, { at: at(args.runs - 1) }).intervals);
  time('audit --at --deployment ep-00042-prod', () => audit(db, k, { at: at(args.runs / 3), deployment: 'ep-00042-prod' }).intervals);
  time('audit --from/--to one day, every deployment', () => audit(db, k, { from: at(5000), to: at(5024) }).intervals);
  time('audit --from/--to one month, one deployment', () => audit(db, k, { from: at(5000), to: at(5720), deployment: 'ep-00007-prod' }).intervals);
  time('history model-00042 (by name)', () => history(db, k, 'model-00042').events);
  time('history "model-00042 v3" (a version)', () => history(db, k, 'model-00042 v3').events);
  time('history ep-00042-prod (a deployment)', () => history(db, k, 'ep-00042-prod').events);
  time('status (10 runs with change summaries)', () => statusReport(db, 10).runs);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [label, ms, what] of rows) process.stdout.write(`${label.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms  ${what}\n`);
  db.close();
}

/** Hourly runs over a fleet whose registry and endpoints change at realistic rates; returns the change summary's mean cost. */
function build(db: Db, keys: KeyIds, args: { runs: number; models: number }): number {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const models: ModelItem[] = [];
  const versions = new Map<string, ModelVersionItem[]>();
  const endpoints: DeploymentItem[] = [];
  const item = <T extends InventoryItem>(x: Omit<T, 'observedAt' | 'tags' | 'links'>) => ({ observedAt: new Date(START).toISOString(), tags: {}, links: {}, ...x }) as T;
  for (let m = 1; m <= args.models; m++) {
    const name = `model-${String(m).padStart(5, '0')}`;
    const model = item<ModelItem>({ kind: 'model', key: `mlflow://bench/models/${name}`, source: 'mlflow', name, owner: 'team', aliases: {}, latestVersions: {} });
    models.push(model);
    versions.set(model.key, [newVersion(model, 1, 'Production')]);
    for (const role of ['prod', 'canary']) endpoints.push(endpoint(`ep-${String(m).padStart(5, '0')}-${role}`, `${model.key}/versions/1`, 1));
  }
  let summaryMs = 0;
  const open = new Map<string, RaisedFinding>();
  for (let run = 0; run < args.runs; run++) {
    const at = new Date(START + run * HOUR).toISOString();
    const seq = startRun(db, { id: `run-${run}`, command: 'sync', startedAt: at, pid: 1, host: 'bench' });
    const changed: InventoryItem[] = [];
    const journal: JournalEntry[] = [];
    const write = (op: string, it: InventoryItem, changes: unknown, otherKey?: string) =>
      journal.push({ run: seq, sink: 'cmdb', op, kind: it.kind, key: it.key, ...(otherKey ? { otherKey } : {}), recordId: `sys-${keys.idOf(it.key)}`, changes, result: 'ok', at });
    if (run === 0) {
      for (const m of models) changed.push(m, ...(versions.get(m.key) ?? []));
      changed.push(...endpoints);
      for (const it of changed) write('create', it, { name: { from: null, to: it.name } });
    }
    const observations: Observation[] = [];
    const promoted = new Set<number>();
    db.transaction(() => {
      for (const [i, m] of models.entries()) {
        if (run === 0 || rand() > 1 / (24 * 30)) continue;
        const list = versions.get(m.key) as ModelVersionItem[];
        const prev = list[list.length - 1] as ModelVersionItem;
        const next = newVersion(m, list.length + 1, 'Production');
        list[list.length - 1] = { ...prev, stage: 'Archived' };
        list.push(next);
        changed.push(list[list.length - 2] as ModelVersionItem, next);
        write('update', prev, { u_ml_stage: { from: 'Production', to: 'Archived' } });
        write('create', next, { name: { from: null, to: `${m.name} v${next.version}` } });
        write('relate', next, { type: 'Contains::Contained by', holder: 'child' }, m.key);
        const prod = endpoints[2 * i] as DeploymentItem;
        endpoints[2 * i] = endpoint(prod.name, next.key, prod.instanceCount ?? 1);
        promoted.add(2 * i);
      }
      for (const [i, e] of endpoints.entries()) {
        const count = run > 0 && rand() < 1 / 24 ? 1 + Math.floor(rand() * 4) : e.instanceCount;
        if (run > 0 && count === e.instanceCount && !promoted.has(i)) continue;
        const next = count === e.instanceCount ? e : endpoint(e.name, e.servesVersionKey as string, count ?? 1);
        endpoints[i] = next;
        if (run > 0) {
          changed.push(next);
          write('update', next, { u_ml_instance_count: { from: String(e.instanceCount), to: String(next.instanceCount) } });
        }
        observations.push(observationOf(next));
      }
      recordItems(db, keys, changed, at);
      recordItemHistory(db, at);
      appendJournal(db, keys, journal);
      recordObservations(db, keys, observations, () => false, seq, at);
      if (run % 24 === 0) {
        const judged = new Set<string>();
        for (const e of endpoints) {
          judged.add(e.key);
          if (rand() < 0.02) open.set(e.key, { key: e.key, currency: 'USD', finding: { type: 'zombie', severity: 'high', detail: 'idle', monthlyWaste: 100 } });
          else if (rand() < 0.3) open.delete(e.key);
        }
        recordFindings(db, keys, [...open.values()], new Map([['zombie', judged]]), at);
      }
    })();
    const t = process.hrtime.bigint();
    const all = [...models, ...[...versions.values()].flat(), ...endpoints];
    const change = summarizeChange(db, { seq, at, items: all, findings: { raised: 0, cleared: 0 }, complete: true, productionAliases: ['production'] });
    summaryMs += Number(process.hrtime.bigint() - t) / 1e6;
    finishRun(db, { id: `run-${run}`, finishedAt: at, status: 'ok', summary: { change }, errors: [], notes: [] });
  }
  return summaryMs / args.runs;

  function newVersion(model: ModelItem, n: number, stage: string): ModelVersionItem {
    return item<ModelVersionItem>({ kind: 'model_version', key: `${model.key}/versions/${n}`, source: 'mlflow', name: model.name, versionOf: model.key, version: String(n), stage, aliases: [], status: 'READY', runId: `run-${model.name}-${n}`, metrics: { auc: 0.8 + n / 100 }, params: { depth: String(n) }, datasets: [{ name: 'train', digest: `d${n}` }], createdAt: new Date(START).toISOString() });
  }
}

function endpoint(name: string, serves: string, count: number): DeploymentItem {
  return { kind: 'deployment', key: `sagemaker://1/us-east-1/endpoints/${name}`, source: 'sagemaker', name, observedAt: new Date(START).toISOString(), tags: {}, links: {}, endpoint: name, status: 'InService', instanceType: 'ml.m5.large', instanceCount: count, servesVersionKey: serves, serves: [serves], variants: [{ name: 'AllTraffic', instanceType: 'ml.m5.large', currentInstanceCount: count, served: [], servesVersionKey: serves }] };
}

function observationOf(d: DeploymentItem): Observation {
  return { key: d.key, serves: d.serves ?? [], instanceType: d.instanceType, instanceCount: d.instanceCount, status: d.status, detail: { variants: [{ name: 'AllTraffic', instanceType: d.instanceType, count: d.instanceCount, serves: d.servesVersionKey }] } };
}

function describe(out: unknown): string {
  return Array.isArray(out) ? `${out.length} row(s)` : '';
}

function parseArgs(argv: string[]): { runs: number; models: number } {
  const get = (flag: string, dflt: number) => {
    const i = argv.indexOf(flag);
    const n = i >= 0 ? Number(argv[i + 1]) : dflt;
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: a whole number`);
    return n;
  };
  return { runs: get('--runs', 10_000), models: get('--models', 150) };
}

main();

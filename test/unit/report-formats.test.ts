import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/main';
import { CSV_DATASET_NAMES, renderReport } from '../../src/report';
import { memoryIo } from '../support/cli-io';
import { model } from '../support/memory';
import type { MemoryRuntime } from '../support/runtime';
import { reportOf, twoSyncs } from './report-state';

/** The column order of each CSV dataset: a contract spreadsheets and BI imports rely on. Add at the end, never reorder. */
const HEADERS: Record<string, string> = {
  inventory:
    'kind,key,source,name,title,version,model_key,stage,aliases,status,owner,cost_center,monthly_cost,currency,cost_estimated,cost_basis,invocations,usage_window_days,last_invocation_day,endpoint,instance_type,instance_count,region,serves,findings,first_seen,changed_at,url',
  findings: 'type,key,severity,detail,monthly_waste,currency,first_seen,last_seen,cleared_at',
  costs: 'model_key,model,monthly_cost,currency,estimated',
  'cost-centers': 'cost_center,monthly_cost,currency,day',
  'cost-trend': 'day,monthly_cost,currency,estimated',
  governance: 'model_key,model,model_owner,type,key,severity,detail,monthly_waste,currency,first_seen,last_seen,cleared_at',
  maturity: 'source,score,tier,governed,production_models',
  runs: 'run_id,started_at,finished_at,status,planned_create,planned_update,planned_retire,planned_relate,planned_unrelate,planned_unchanged,applied_create,applied_update,applied_retire,applied_relate,applied_unrelate,applied_failed,applied_unknown,errors',
};

/** The state's config file, as the CLI reads it: only state.path matters to a report. */
function configFor(rt: MemoryRuntime): string {
  writeFileSync(rt.loaded.file, `state:\n  path: ${JSON.stringify(rt.loaded.statePath)}\n`);
  return rt.loaded.file;
}

async function masync(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await run(['node', 'masync', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('CSV', () => {
  it('every dataset has its fixed column order, then one row per record', async () => {
    const d = reportOf(await twoSyncs());
    expect(CSV_DATASET_NAMES).toEqual(Object.keys(HEADERS));
    for (const name of CSV_DATASET_NAMES) {
      const lines = renderReport(d, 'csv', name).split('\r\n');
      expect([name, lines[0]]).toEqual([name, HEADERS[name]]);
    }
    const inventory = renderReport(d, 'csv', 'inventory').trimEnd().split('\r\n');
    expect(inventory).toHaveLength(1 + d.items.length);
    expect(inventory[1]).toMatch(/^model,mem:\/\/reg\/models\/churn,reg,churn,churn,/);
    expect(renderReport(d, 'csv', 'maturity').split('\r\n')[1]).toBe(',0.25,Weak,1,4');
  });

  it('quotes what needs quoting, and defuses text a spreadsheet would run as a formula', async () => {
    const d = reportOf(await twoSyncs([model('reg', '=HYPERLINK("http://evil.example","invoice")', { owner: '@alice', description: 'a, "quoted"\nline' })]));
    const row = renderReport(d, 'csv', 'inventory').split('\r\n').find((l) => l.includes('HYPERLINK')) ?? '';
    expect(row).toContain(`,"'=HYPERLINK(""http://evil.example"",""invoice"")",`);
    expect(row).toContain(`,'@alice,`);
    expect(renderReport(d, 'csv', 'costs')).toContain(',195.64,USD,true\r\n');
  });
});

describe('masync report', () => {
  it('--format json has the CLI’s shapes: findings as `masync findings --json`, runs as `masync status --json`', async () => {
    const config = configFor(await twoSyncs());
    const report = JSON.parse((await masync('report', '--format', 'json', '-c', config)).out) as Record<string, unknown>;
    const findings = JSON.parse((await masync('findings', '--json', '-c', config)).out) as Record<string, unknown>;
    const status = JSON.parse((await masync('status', '--json', '-c', config)).out) as Record<string, unknown>;
    expect(report).toMatchObject({ formatVersion: findings.formatVersion, monthlyWaste: findings.monthlyWaste, findings: findings.findings, runs: status.runs });
    expect(report.formatVersion).toBe(2);
    expect(Object.keys(report)).toEqual(['formatVersion', 'generatedAt', 'summary', 'changes', 'costs', 'monthlyWaste', 'findings', 'endpointFindings', 'governance', 'maturity', 'inventory', 'runs']);
    expect(report.summary).toMatchObject({ models: 2, versions: 2, deployments: 4, openFindings: 2, monthlyCost: [{ monthly: 740.22, currency: 'USD' }], maturity: { tier: 'Weak', scored: true } });
  });

  it('--out replaces the file whole and says where it went; csv takes --dataset, html refuses it', async () => {
    const config = configFor(await twoSyncs());
    const out = path.join(path.dirname(config), 'costs.csv');
    writeFileSync(out, 'old contents that must go');
    const r = await masync('report', '--format', 'csv', '--dataset', 'costs', '--out', out, '-c', config);
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(r.err).toContain(`report written to ${out}`);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe(HEADERS.costs);
    const nowhere = await masync('report', '--out', path.join(path.dirname(config), 'no-such-dir', 'r.html'), '-c', config);
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toMatch(/cannot write the report to .*no-such-dir\/r\.html: ENOENT/);
    const wrong = await masync('report', '--dataset', 'costs', '-c', config);
    expect(wrong.code).toBe(64);
    expect(wrong.err).toContain('--dataset applies to --format csv only');
  });

  it('with no state file yet, prints a whole report that says so, and creates no state file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-report-'));
    const config = path.join(dir, 'masync.yaml');
    writeFileSync(config, 'state:\n  path: never-synced.db\n');
    const r = await masync('report', '-c', config);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^<!DOCTYPE html>/);
    expect(r.out).toContain('No sync recorded yet');
    expect(existsSync(path.join(dir, 'never-synced.db'))).toBe(false);
  });
});

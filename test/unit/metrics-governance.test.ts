import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChangeSummary } from '../../src/app/change-summary';
import { NO_CHANGES, type SyncResult } from '../../src/app/sync-run';
import { DaemonMetrics } from '../../src/daemon/metrics';

const band = (score: number) => ({ score, tier: 'Average' as const, governed: 1, total: 2 });

function run(open: ChangeSummary['findings']['open'], change: Partial<ChangeSummary> = {}): SyncResult {
  return {
    runId: 'r',
    status: 'ok',
    planned: NO_CHANGES,
    applied: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0, failed: 0, unknown: 0, skipped: 0 },
    errors: [],
    notes: [],
    held: [],
    durationMs: 1000,
    change: {
      writes: [],
      inventory: [],
      findings: { raised: 0, cleared: 0, open },
      cost: [],
      complete: true,
      maturity: { overall: band(0.5), bySource: [{ source: 'mlflow', ...band(0.75) }, { source: 'sagemaker', ...band(0.25) }] },
      ...change,
    },
  };
}

describe('governance gauges on /metrics', () => {
  it('findings by type and severity, monthly waste by type and currency, maturity per source and overall; cleared series go', async () => {
    const m = new DaemonMetrics();
    m.recordRun(
      run([
        { type: 'shadow', severity: 'medium', count: 1, monthlyWaste: 97.82, currency: 'USD' },
        { type: 'zombie', severity: 'high', count: 2, monthlyWaste: 1200.5, currency: 'USD' },
        { type: 'zombie', severity: 'high', count: 1, monthlyWaste: 80, currency: 'EUR' },
        { type: 'missing-owner', severity: 'medium', count: 4, monthlyWaste: 0 },
      ]),
      new Date(),
    );
    const text = await m.registry.metrics();
    expect(text).toContain('masync_findings{type="zombie",severity="high"} 3');
    expect(text).toContain('masync_findings{type="missing-owner",severity="medium"} 4');
    expect(text).toContain('masync_monthly_waste{type="zombie",currency="USD"} 1200.5');
    expect(text).toContain('masync_monthly_waste{type="zombie",currency="EUR"} 80');
    expect(text).not.toContain('masync_monthly_waste{type="missing-owner"');
    expect(text).toContain('masync_maturity_score{source="all"} 0.5');
    expect(text).toContain('masync_maturity_score{source="sagemaker"} 0.25');
    m.recordRun(run([{ type: 'shadow', severity: 'medium', count: 1, monthlyWaste: 97.82, currency: 'USD' }], { maturity: { overall: { ...band(1), total: 0 }, bySource: [] } }), new Date());
    const after = await m.registry.metrics();
    expect(after).not.toContain('type="zombie"');
    expect(after).toContain('masync_findings{type="shadow",severity="medium"} 1');
    // No production model: no score, rather than a perfect one.
    expect(after).not.toMatch(/masync_maturity_score\{/);
  });

  it('the example Grafana dashboard is valid JSON and queries only metrics the daemon exports', async () => {
    const dashboard = JSON.parse(readFileSync(path.join(__dirname, '../../deploy/grafana/masync-dashboard.json'), 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }>; panels?: unknown[] }> };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const exported = new Set((await new DaemonMetrics().registry.getMetricsAsJSON()).flatMap((m) => (String(m.type) === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name])));
    const queried = new Set(exprs.flatMap((e) => e.match(/\bmasync_[a-z_]+/g) ?? []));
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
    expect([...queried]).toEqual(expect.arrayContaining(['masync_findings', 'masync_monthly_waste', 'masync_maturity_score']));
  });
});

import { createHash } from 'node:crypto';
import { gatherReport, renderHtml, REPORT_CSP } from '../../src/report';
import { costBreakdown } from '../../src/report/costs';
import type { StateItem } from '../../src/report/types';
import { openDb } from '../../src/state/db';
import { KeyIds } from '../../src/state/keys';
import { model, version } from '../support/memory';
import { endpoint, reportOf, twoSyncs } from './report-state';

const HOSTILE = '<script>alert(1)</script>';
const OWNER = '"><img src=x onerror=alert(2)>';

async function hostileReport(): Promise<string> {
  const evil = model('reg', HOSTILE, { owner: OWNER, description: '</td></tr></table><b>bold</b>', links: { ui: 'javascript:alert(3)' } });
  const fine = model('reg', 'linked', { links: { ui: 'https://mlflow.example.com/#/models/linked' } });
  const rt = await twoSyncs([evil, version('reg', HOSTILE, '1', { stage: 'Production', owner: OWNER }), fine, endpoint(`x" onmouseover="alert(4)`, 'ml.m5.large', 1, 's3://nowhere/<svg onload=alert(5)>')]);
  return renderHtml(reportOf(rt));
}

const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

describe('the HTML report', () => {
  it('shows every value as text: no markup, script, handler or javascript: link from the data survives', async () => {
    const html = await hostileReport();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/<img|<svg onload|<b>bold/);
    // The data's handlers are there as text or inside quoted values; no real tag has one as an attribute.
    const tags = (html.match(/<[a-zA-Z][^>]*>/g) ?? []).map((t) => t.replace(/"[^"]*"/g, '""'));
    expect(tags.filter((t) => /\son\w+=/i.test(t))).toEqual([]);
    expect(html).toContain('title="mem://reg/endpoints/x&quot; onmouseover=&quot;alert(4)"');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('<a href="https://mlflow.example.com/#/models/linked" title="mem://reg/models/linked">linked</a>');
  });

  it('runs only its own script and stylesheet: the policy names their hashes and allows nothing else to load', async () => {
    const html = await hostileReport();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(REPORT_CSP).toContain(`script-src ${sha(script)}`);
    expect(REPORT_CSP).toContain(`style-src ${sha(style)}`);
    expect(REPORT_CSP).toMatch(/^default-src 'none';/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replace(/'/g, '&#39;')}">`);
    // Inline style attributes would be blocked by that policy (and show as console errors).
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\ssrc="/);
  });

  it('has unique ids, a title on every chart and column headers on every table', async () => {
    const html = await hostileReport();
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(4);
    expect(svgs.every((s) => /role="img"/.test(s) && /<title[^>]*>[^<]+<\/title>/.test(s))).toBe(true);
    const tables = html.match(/<table[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.every((t) => /<caption>/.test(t) && /<th scope="col"/.test(t))).toBe(true);
  });

  it('charts the 12 most expensive models, the rest as one bar, and always a bar for what unregistered endpoints cost', () => {
    const db = openDb(':memory:');
    const seen = { firstSeen: '2026-11-01T00:00:00.000Z', changedAt: '2026-11-01T00:00:00.000Z' };
    const models = Array.from({ length: 15 }, (_, i) => ({ ...model('reg', `m${i}`, { cost: { monthly: 100 + i, currency: 'USD', estimated: false, basis: 'test' } }), ...seen }));
    const shadow = { ...endpoint('poc', 'ml.m5.large', 1, 's3://x', { cost: { monthly: 5, currency: 'USD', estimated: true, basis: 'test' } }), ...seen };
    const items = [...models, shadow] as StateItem[];
    const html = renderHtml({ ...gatherReport(db, new KeyIds(db), { now: new Date() }), items, costs: costBreakdown(items, []) });
    const chart = /<svg class="chart" id="cost-model-0"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    const labels = [...chart.matchAll(/<text class="bar-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual([...Array.from({ length: 12 }, (_, i) => `m${14 - i}`), '3 more model(s)', '1 endpoint(s) serving no registered model']);
    expect(chart).toContain('>$303.00</text>');
  });

  it('charts the monthly cost day by day, a column per day a sync recorded, with the same figures in a table', async () => {
    const html = renderHtml(reportOf(await twoSyncs()));
    const chart = /<svg class="chart" id="cost-trend-0"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect([...chart.matchAll(/<g><title>([^<]*)<\/title><rect class="bar"/g)].map((m) => m[1])).toEqual(['2026-11-20: $344.56 est.', '2026-11-23: $740.22 est.']);
    const table = /<table[^>]*id="cost-trend-0-table"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    expect(table.match(/<tr/g)).toHaveLength(3);
  });

  it('tells apart two models of one name from different sources', () => {
    const cost = (monthly: number) => ({ cost: { monthly, currency: 'USD', estimated: false, basis: 'test' } });
    const items = [model('mlflow-prod', 'fraud-detector', cost(700)), model('wandb-team', 'fraud-detector', cost(80)), model('mlflow-prod', 'churn', cost(50))] as StateItem[];
    expect(costBreakdown(items, []).byModel.map((r) => r.label)).toEqual(['fraud-detector (mlflow-prod)', 'fraud-detector (wandb-team)', 'churn']);
  });

  it('an empty state file still makes a whole page that says what to do', () => {
    const db = openDb(':memory:');
    const html = renderHtml(gatherReport(db, new KeyIds(db), { now: new Date('2026-11-23T12:00:00Z') }));
    for (const id of ['changes', 'costs', 'waste', 'governance', 'maturity', 'inventory', 'runs']) expect(html).toContain(`<section id="${id}"`);
    expect(html).toContain('No sync recorded yet');
    expect(html).toContain('No model is in production yet');
    expect(html).toContain('not scored');
  });
});

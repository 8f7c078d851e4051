import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Chromium, findChromium, type Page } from './chromium';
import { json, runCli } from './cli';
import { startReportSandbox, syncTwice, type ReportSandbox } from './report-sandbox';

/** Screenshots land here (git-ignored): CI keeps them as artifacts. */
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/report');
const HOSTILE_MODEL = '<script>alert(1)</script>';
const HOSTILE_OWNER = '<img src=x onerror="alert(2)">';

const bin = findChromium();
if (!bin && process.env.MASYNC_REQUIRE_CHROMIUM === '1') throw new Error('MASYNC_REQUIRE_CHROMIUM=1 but no chromium on PATH: apt-get install chromium');
if (!bin) console.warn('Skipping the headless Chromium report test: no chromium on PATH (apt-get install chromium; .ci/run installs it).');
// Skipped only when the browser is missing, and CI makes that an error (MASYNC_REQUIRE_CHROMIUM).
const withChromium = bin ? describe : describe.skip;

withChromium('the HTML report in headless Chromium (sandbox state after two syncs)', () => {
  let s: ReportSandbox;
  let browser: Chromium;
  let url: string;
  let inventorySize: number;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    s = await startReportSandbox();
    s.parts.mlflow.emulator.addModel({ name: HOSTILE_MODEL, description: 'a name that must render as text', tags: { owner: HOSTILE_OWNER } });
    await syncTwice(s);
    const file = path.join(s.dir, 'report.html');
    const r = await runCli(['report', '--out', file, '-c', s.configFile], {});
    expect(r.code).toBe(0);
    url = pathToFileURL(file).href;
    inventorySize = json<{ inventory: unknown[] }>(await runCli(['report', '--format', 'json', '-c', s.configFile], {})).inventory.length;
    browser = await Chromium.launch(bin as string);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  const noProblems = (page: Page) => expect(page.problems).toEqual({ console: [], exceptions: [], dialogs: [], requests: [] });

  it('at 1280 px every section has its tables and charts, hostile names are text, nothing fails and nothing loads', async () => {
    const page = await browser.open(url, { width: 1280, height: 900 });
    const seen = await page.evaluate<Record<string, unknown>>(`(() => {
      const q = (s) => document.querySelectorAll(s);
      const texts = (s) => [...q(s)].map((e) => e.textContent);
      return {
        inventoryRows: q('#inventory-table tbody tr').length,
        costCharts: q('#costs svg.chart').length,
        costBars: q('#cost-model-0 rect.bar').length,
        gauge: q('#maturity svg.gauge').length,
        endpointFindings: texts('#endpoint-findings tbody tr td:nth-child(2)'),
        governanceRows: q('#governance-table tbody tr').length,
        raised: texts('#findings-raised tbody tr td:first-child'),
        changes: texts('#run-counts tbody td:first-child'),
        runs: q('#runs-table tbody tr').length,
        chartsWithoutTitle: [...q('svg')].filter((svg) => !svg.querySelector('title')).length,
        tablesWithoutHeaders: [...q('table')].filter((t) => !t.querySelector('thead th[scope=col]')).length,
        hostileAsText: texts('#inventory-table td').some((t) => t.includes(${JSON.stringify(HOSTILE_MODEL)})),
        ownerAsText: texts('#inventory-table td').some((t) => t.includes(${JSON.stringify(HOSTILE_OWNER)})),
        scripts: q('script').length,
        images: q('img').length,
        filtersShown: !document.getElementById('inventory-filters').hidden,
      };
    })()`);
    await page.screenshot(path.join(ARTIFACTS, 'report-1280.png'), { fullPage: false });
    await page.screenshot(path.join(ARTIFACTS, 'report-1280-full.png'), { fullPage: true });
    expect(seen).toMatchObject({ inventoryRows: inventorySize, costCharts: 2, gauge: 1, governanceRows: expect.any(Number), runs: 2, chartsWithoutTitle: 0, tablesWithoutHeaders: 0 });
    expect(seen.costBars as number).toBeGreaterThan(1);
    expect(seen.governanceRows as number).toBeGreaterThan(0);
    expect(seen.endpointFindings).toEqual(expect.arrayContaining(['zombie', 'shadow', 'retired-but-serving']));
    expect(seen.raised).toContain('unserved-production');
    expect(seen.changes).toEqual(expect.arrayContaining(['retire']));
    expect(seen).toMatchObject({ hostileAsText: true, ownerAsText: true, scripts: 1, images: 0, filtersShown: true });
    noProblems(page);
  });

  it('at 390 px the page is no wider than the phone: wide tables scroll in their box, short ones become cards', async () => {
    const page = await browser.open(url, { width: 390, height: 844 });
    const seen = await page.evaluate<Record<string, unknown>>(`({
      pageWidth: document.documentElement.scrollWidth,
      cards: getComputedStyle(document.querySelector('#endpoint-findings thead')).position,
      chartWidth: Math.round(document.querySelector('#cost-model-0').getBoundingClientRect().width),
    })`);
    await page.screenshot(path.join(ARTIFACTS, 'report-390.png'), { fullPage: false });
    await page.screenshot(path.join(ARTIFACTS, 'report-390-full.png'), { fullPage: true });
    expect(seen.pageWidth).toBeLessThanOrEqual(390);
    expect(seen.cards).toBe('absolute');
    expect(seen.chartWidth as number).toBeLessThanOrEqual(390);
    noProblems(page);
  });

  it('the inventory sorts by a column and filters by text and kind', async () => {
    const page = await browser.open(url, { width: 1280, height: 900 });
    // A row without a cost has no sort value and sorts first, as -1 would.
    const costs = () => page.evaluate<number[]>(`[...document.querySelectorAll('#inventory-table tbody tr')].map((r) => r.cells[6].dataset.v === undefined ? -1 : Number(r.cells[6].dataset.v))`);
    await page.evaluate(`document.querySelectorAll('#inventory-table thead th')[6].querySelector('button').click()`);
    const up = await costs();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await page.evaluate(`document.querySelectorAll('#inventory-table thead th')[6].querySelector('button').click()`);
    const down = await costs();
    expect(down).toEqual([...up].sort((a, b) => b - a));
    expect(down[0]).toBeGreaterThan(0);

    const filtered = await page.evaluate<{ shown: string[]; count: string }>(`(() => {
      document.getElementById('inventory-q').value = 'FRAUD-detector';
      document.getElementById('inventory-kind').value = 'model_version';
      document.getElementById('inventory-filters').requestSubmit();
      const shown = [...document.querySelectorAll('#inventory-table tbody tr')].filter((r) => r.getClientRects().length > 0);
      return { shown: shown.map((r) => r.dataset.kind + ' ' + r.cells[1].textContent), count: document.getElementById('inventory-count').textContent };
    })()`);
    expect(filtered.shown.length).toBeGreaterThan(0);
    expect(filtered.shown.every((t) => t.startsWith('model_version fraud-detector v'))).toBe(true);
    expect(filtered.count).toBe(`${filtered.shown.length} of ${inventorySize} items`);
    noProblems(page);
  });

  it('without JavaScript every row is there and the filter controls stay hidden', async () => {
    const page = await browser.open(url, { width: 1280, height: 900 }, { javascript: false });
    // Scripts are off, but the protocol can still read the DOM.
    const html = readFileSync(new URL(url), 'utf8');
    expect(html).not.toContain(HOSTILE_MODEL);
    const seen = await page.evaluate<{ rows: number; filters: string }>(
      `({ rows: [...document.querySelectorAll('#inventory-table tbody tr')].filter((r) => r.getClientRects().length > 0).length, filters: getComputedStyle(document.getElementById('inventory-filters')).display })`,
    );
    expect(seen).toEqual({ rows: inventorySize, filters: 'none' });
    noProblems(page);
  });
});

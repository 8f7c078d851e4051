import { runDaemon } from '../../src/daemon/daemon';
import { REPORT_CSP } from '../../src/report';
import { runBaseFor, type MemoryRuntime } from '../support/runtime';
import { twoSyncs } from './report-state';
import { freePort } from '../support/free-port';

async function until<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gave up waiting');
}

const RUN_ROW = /<tr><td data-label="Run"><code>/g;

/** A daemon over `rt` that syncs once a year (and at start, if asked); returns its URL and how to stop it. */
async function daemonOn(rt: MemoryRuntime, runOnStart: boolean): Promise<{ url: string; stop(): Promise<void> }> {
  const stop = new AbortController();
  const port = await freePort();
  let url = '';
  const daemon = runDaemon(
    rt,
    { schedule: '0 0 1 1 *', runOnStart, host: '127.0.0.1', port, sync: { allowMassRetire: false, waitMs: 0 }, onListening: (u) => (url = u) },
    runBaseFor(rt, { stopping: stop.signal }),
  );
  await until(async () => (url ? url : undefined));
  return {
    url,
    stop: async () => {
      stop.abort();
      await daemon;
    },
  };
}

describe('the daemon serves the latest report at /', () => {
  it('made from the state file as the daemon starts, before it has run, with the governance gauges the last sync left', async () => {
    const rt = await twoSyncs();
    const { url, stop } = await daemonOn(rt, false);
    try {
      const page = await (await fetch(`${url}/`)).text();
      expect(page).toContain('<section id="inventory"');
      expect(page.match(RUN_ROW)).toHaveLength(2);
      // The governance gauges come from the last recorded sync, before the daemon's first run.
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^masync_findings\{type="shadow",severity="medium"\} 2$/m);
      expect(metrics).toMatch(/^masync_maturity_score\{source="all"\} 0\.25$/m);
    } finally {
      await stop();
      rt.close();
    }
  });

  it('remade after the daemon’s own run; /healthz and /metrics stay as they were', async () => {
    const rt = await twoSyncs();
    const { url, stop } = await daemonOn(rt, true);
    try {
      const health = await until(async () => {
        const body = (await (await fetch(`${url}/healthz`)).json()) as { lastRun?: { runId: string } };
        return body.lastRun;
      });
      const res = await fetch(`${url}/`);
      const page = await res.text();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(REPORT_CSP);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(page).toMatch(/^<!DOCTYPE html>/);
      // fetch asks for gzip and unpacks it; a client that does not ask gets the same page plain.
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const plain = await fetch(`${url}/`, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(await plain.text()).toBe(page);
      // The daemon's own run is the last one the page shows, and the two before it are there too.
      expect(page).toContain(`Last run <code>${health.runId}</code>`);
      expect(page.match(RUN_ROW)).toHaveLength(3);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      expect(await (await fetch(`${url}/nothing`)).text()).toBe('not found: try /, /healthz or /metrics\n');
    } finally {
      await stop();
      rt.close();
    }
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { REPORT_CSP } from '../report';
import type { ReportPage } from '../report/latest';
import type { Health } from './health';
import type { DaemonMetrics } from './metrics';

/**
 * /healthz (JSON; 503 when the daemon is not syncing successfully),
 * /metrics (Prometheus text) and, at /, the latest HTML report.
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  metrics: DaemonMetrics;
  health: () => Health;
  /** The latest report page, or undefined when it could not be made (the log says why). */
  report?: () => ReportPage | undefined;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && route === '/' && opts.report) {
      const page = opts.report();
      if (page === undefined) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '60' });
        res.end('the report could not be made from the state file; the daemon log says why\n');
        return;
      }
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      // The page's own policy, sent as a header too; the report is as fresh as the last run, never cached.
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': REPORT_CSP,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        Vary: 'Accept-Encoding',
        ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      });
      res.end(gzip ? page.gzip : page.html);
      return;
    }
    if (req.method === 'GET' && route === '/healthz') {
      const h = opts.health();
      res.writeHead(h.httpStatus, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(h.body));
      return;
    }
    if (req.method === 'GET' && route === '/metrics') {
      opts.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': opts.metrics.registry.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end(`not found: try ${opts.report ? '/, ' : ''}/healthz or /metrics\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

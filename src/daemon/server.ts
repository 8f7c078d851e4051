import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './health';
import type { DaemonMetrics } from './metrics';

/** /healthz (JSON; 503 when the daemon is not syncing successfully) and /metrics (Prometheus text). */
export async function startHealthServer(opts: { host: string; port: number; metrics: DaemonMetrics; health: () => Health }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
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
    res.end('not found: try /healthz or /metrics\n');
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

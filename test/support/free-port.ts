import net from 'node:net';

/** A port nothing listens on right now, for a server a test starts (the daemon's /healthz). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** GET /healthz of a daemon on `port`: its status code and body, or undefined while nothing answers. */
export async function healthz(port: number): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
  return res ? { status: res.status, body: (await res.json()) as Record<string, unknown> } : undefined;
}

import { EmulatorServer, type ChaosOptions } from '../../connectors/emulator-kit';

/** A tiny emulator whose only state is the list of items written to it. */
function itemServer() {
  const items: string[] = [];
  const server = new EmulatorServer({
    name: 'kit-test',
    errorBody: (status, message) => ({ error: message, status }),
    routes: [
      { method: 'POST', path: '/items', handler: (req) => (items.push(String((req.body as { name?: string }).name)), { status: 201, body: { n: items.length } }) },
      { method: 'GET', path: '/items', handler: () => ({ status: 200, body: { items } }) },
      { method: 'PATCH', path: /^\/items\/(?<id>\d+)$/, handler: (req) => ({ status: 200, body: { id: req.params.id } }) },
    ],
  });
  return { server, items };
}

type Outcome = number | 'dropped' | 'timeout';

async function call(server: EmulatorServer, method: string, path: string, body?: unknown, timeoutMs?: number): Promise<{ outcome: Outcome; retryAfter: string | null }> {
  try {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
    });
    await res.arrayBuffer();
    return { outcome: res.status, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    return { outcome: err instanceof DOMException && err.name === 'TimeoutError' ? 'timeout' : 'dropped', retryAfter: null };
  }
}

async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('emulator kit: seeded chaos', () => {
  let fx: ReturnType<typeof itemServer>;
  beforeEach(async () => {
    fx = itemServer();
    await fx.server.start();
  });
  afterEach(() => fx.server.stop());

  const fates = async (opts: ChaosOptions, n: number) => {
    fx.server.setChaos(opts);
    const out: Outcome[] = [];
    for (let i = 0; i < n; i++) out.push((await call(fx.server, 'POST', '/items', { name: `i${i}` })).outcome);
    return out;
  };

  it('gives the same fates for the same seed, and other fates for another', async () => {
    const opts = { seed: 7, errorRate: 0.2, lostAnswerRate: 0.2 };
    const first = await fates(opts, 40);
    const again = await fates(opts, 40);
    const other = await fates({ ...opts, seed: 8 }, 40);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([201, 'dropped', 500, 502, 503, 504]));
  });

  it('refuses before handling and loses answers after handling', async () => {
    const refused = await fates({ seed: 1, errorRate: 0.5, statuses: [503] }, 30);
    const served = refused.filter((o) => o === 201).length;
    expect(refused.filter((o) => o === 503).length).toBe(30 - served);
    expect(fx.items).toHaveLength(served);

    fx.items.length = 0;
    const lost = await fates({ seed: 1, lostAnswerRate: 0.5, statuses: [500] }, 30);
    expect(lost.some((o) => o === 'dropped') && lost.some((o) => o === 500)).toBe(true);
    // Every write happened, whatever its answer.
    expect(fx.items).toHaveLength(30);
  });

  it('commits late: a client that gives up first finds the write there afterwards', async () => {
    fx.server.setChaos({ seed: 3, lateCommit: { rate: 1, delayMs: 1000 } });
    const { outcome } = await call(fx.server, 'POST', '/items', { name: 'late' }, 50);
    expect(outcome).toBe('timeout');
    expect(fx.items).toEqual([]);
    await eventually(() => fx.items.length > 0);
    expect(fx.items).toEqual(['late']);
  });

  it('answers bursts of 429 with Retry-After at a fixed rhythm', async () => {
    fx.server.setChaos({ seed: 1, burst429: { every: 3, length: 2, retryAfterSec: 7 } });
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await call(fx.server, 'GET', '/items'));
    expect(answers.map((a) => a.outcome)).toEqual([200, 200, 200, 429, 429, 200, 200, 200, 429, 429]);
    expect(answers[3]?.retryAfter).toBe('7');
  });

  it('hits only the methods and paths it names, and stops when turned off', async () => {
    const outcomes = async () => [(await call(fx.server, 'GET', '/items')).outcome, (await call(fx.server, 'PATCH', '/items/4', {})).outcome, (await call(fx.server, 'POST', '/items', { name: 'x' })).outcome];
    fx.server.setChaos({ seed: 1, errorRate: 1, statuses: [502], methods: ['POST', 'PATCH'], path: /^\/items\/\d+$/ });
    expect(await outcomes()).toEqual([200, 502, 201]);
    fx.server.setChaos(undefined);
    expect(await outcomes()).toEqual([200, 200, 201]);
  });

  it('rejects rates that cannot be shares', () => {
    expect(() => fx.server.setChaos({ seed: 1, errorRate: 0.6, lostAnswerRate: 0.6 })).toThrow(/add up to at most 1/);
  });
});

describe('emulator kit: latency and the request log', () => {
  let fx: ReturnType<typeof itemServer>;
  beforeEach(async () => {
    fx = itemServer();
    await fx.server.start();
  });
  afterEach(() => fx.server.stop());

  it('delays every answer, after the request took effect', async () => {
    fx.server.setLatency(2000);
    expect((await call(fx.server, 'POST', '/items', { name: 'slow' }, 100)).outcome).toBe('timeout');
    await eventually(() => fx.items.length > 0);
    fx.server.setLatency(0);
    expect((await call(fx.server, 'GET', '/items', undefined, 1000)).outcome).toBe(200);
  });

  it('counts by method and path prefix as startsWith would, without keeping bodies when asked', async () => {
    fx.server.setRequestLog({ bodies: false });
    await call(fx.server, 'POST', '/items', { name: 'a' });
    await call(fx.server, 'PATCH', '/items/1', {});
    await call(fx.server, 'PATCH', '/items/12', {});
    await call(fx.server, 'PATCH', '/items', {});
    await call(fx.server, 'GET', '/itemsx');
    const s = fx.server;
    expect([s.count('PATCH'), s.count('PATCH', '/items'), s.count('PATCH', '/items/'), s.count('PATCH', '/items/1'), s.count('PATCH', '/items/12'), s.count('PATCH', '/nothing')]).toEqual([3, 3, 2, 2, 1, 0]);
    expect([s.count('GET', '/item'), s.count('GET', '/items'), s.count('POST', '/items'), s.count('DELETE')]).toEqual([1, 1, 1, 0]);
    expect(s.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/items', 201],
      ['PATCH', '/items/1', 200],
      ['PATCH', '/items/12', 200],
      ['PATCH', '/items', 404],
      ['GET', '/itemsx', 404],
    ]);
    expect(s.requests.every((r) => r.body === undefined)).toBe(true);
    expect(fx.items).toEqual(['a']);
  });

  it('dispatches a carried request through faults and routes, logging it with what carried it', async () => {
    const nested = (name: string) => fx.server.dispatch({ method: 'POST', path: '/items', query: new URLSearchParams(), headers: {}, body: { name }, rawBody: '', params: {} }, '/batch');
    fx.server.faults.inject({ method: 'POST', path: '/items', status: 500, afterHandling: true });
    expect(await nested('first')).toMatchObject({ status: 500 });
    expect(await nested('second')).toMatchObject({ status: 201 });
    fx.server.setChaos({ seed: 1, burst429: { every: 1, length: 5, retryAfterSec: 1 } });
    // Rate limits meet the carrying request at the door, not each request it carries.
    expect(await nested('third')).toMatchObject({ status: 201 });
    expect(fx.items).toEqual(['first', 'second', 'third']);
    expect(fx.server.requests.map((r) => r.via)).toEqual(['/batch', '/batch', '/batch']);
    expect(fx.server.count('POST', '/items')).toBe(3);
  });
});

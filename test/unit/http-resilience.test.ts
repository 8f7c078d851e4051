import { EmulatorServer } from '../../connectors/emulator-kit';
import { OutcomeUnknownError } from '../../src/errors';
import { createHttpClient, type HttpClient } from '../../src/http';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from '../support/deps';

const PAGES = 300;
const PER_PAGE = 10;
const STATUSES = [500, 502, 503, 504];

/** Deterministic noise (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A paged API that answers one request in ten with a random 500/502/503/504
 * and, every 40 requests, a burst of three 429s with Retry-After.
 */
async function unreliableApi() {
  let created = 0;
  const emu = new EmulatorServer({
    name: 'flaky',
    errorBody: (status, message) => ({ error: { message, status } }),
    routes: [
      {
        method: 'GET',
        path: '/items',
        handler: (req) => {
          const page = Number(req.query.get('page') ?? '0');
          const items = Array.from({ length: PER_PAGE }, (_, i) => `item-${page * PER_PAGE + i}`);
          return { status: 200, body: { items, next: page + 1 < PAGES ? page + 1 : null } };
        },
      },
      { method: 'POST', path: '/items', handler: () => ({ status: 201, body: { id: `new-${++created}` } }) },
    ],
  });
  const noise = seeded(20261123);
  let requests = 0;
  emu.onRequest = () => {
    requests++;
    if (requests % 40 === 0) emu.faults.inject({ status: 429, headers: { 'Retry-After': '1' }, times: 3 });
    else if (noise() < 0.1) emu.faults.inject({ status: STATUSES[Math.floor(noise() * STATUSES.length)], afterHandling: true });
  };
  await emu.start();
  return emu;
}

async function readAll(http: HttpClient): Promise<string[]> {
  const out: string[] = [];
  for (let page: number | null = 0; page !== null; ) {
    const res: { data: { items: string[]; next: number | null } } = await http.request({ method: 'GET', path: '/items', query: { page } });
    out.push(...res.data.items);
    page = res.data.next;
  }
  return out;
}

describe('HTTP layer under a flaky, rate-limited server', () => {
  let emu: EmulatorServer;
  let http: HttpClient;
  beforeEach(async () => {
    emu = await unreliableApi();
    const redactor = new Redactor();
    // Sleeps resolve at once: the waits are the layer's decisions, not something to sit through.
    http = createHttpClient({ name: 'flaky', baseURL: emu.url, logger: new MemoryLogger(redactor), redactor, sleep: async () => {}, random: seeded(7) });
  });
  afterEach(() => emu.stop());

  it('reads every page of a long listing exactly once', async () => {
    const items = await readAll(http);
    expect(items).toHaveLength(PAGES * PER_PAGE);
    expect(new Set(items).size).toBe(PAGES * PER_PAGE);
    expect(items[PAGES * PER_PAGE - 1]).toBe(`item-${PAGES * PER_PAGE - 1}`);
    const statuses = emu.requests.map((r) => r.status);
    // The faults really happened, and each was answered by a retry.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(20);
    expect(new Set(statuses.filter((s) => s !== undefined && s >= 500))).toEqual(new Set(STATUSES));
    expect(statuses.filter((s) => s === 200)).toHaveLength(PAGES);
  });

  it('sends each create once: it lands, waits out a 429, or its outcome is unknown', async () => {
    const results = await Promise.allSettled(Array.from({ length: 120 }, () => http.request<{ id: string }>({ method: 'POST', path: '/items', body: { name: 'x' } })));
    const posts = emu.requests.filter((r) => r.method === 'POST');
    const unknown = results.filter((r) => r.status === 'rejected');
    expect(unknown.length).toBeGreaterThan(0);
    for (const r of unknown) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(OutcomeUnknownError);
    // Only a 429 (not processed) is ever followed by another send of the same create.
    expect(posts.filter((p) => p.status !== 429)).toHaveLength(120);
    expect(posts.filter((p) => p.status === 201)).toHaveLength(results.filter((r) => r.status === 'fulfilled').length);
  });
});

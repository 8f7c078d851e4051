import type { CreateWrite, RunContext, SinkWrite, WriteResult } from '../../src/engine/types';
import { AuthError, OutcomeUnknownError } from '../../src/errors';
import { collect } from '../support/deps';
import { createWrite, modelItem, startServiceNow, versionItem, type ServiceNowFixture } from './servicenow-setup';

const BATCH = '/api/now/v1/batch';
const AI_PATH = '/api/now/table/cmdb_ci_appl_ai_application';

describe('ServiceNow sink: applyBatch through the Batch API', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  const applyBatch = (writes: SinkWrite[], ctx: RunContext = fx.ctx()) => (fx.sink.applyBatch as NonNullable<typeof fx.sink.applyBatch>)(writes, ctx);
  const creates = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => createWrite(fx.sink, fx.mapping, modelItem(`${prefix}-${i}`)));
  const stored = (w: CreateWrite) => fx.emu.query('cmdb_ci', `correlation_id=${w.fields.correlation_id}`);

  /** Two CIs and a relationship between them, written through the Table API. */
  async function existing(ctx: RunContext) {
    const model = modelItem('existing');
    const m = await fx.sink.apply(createWrite(fx.sink, fx.mapping, model), ctx);
    const vWrite = createWrite(fx.sink, fx.mapping, versionItem(model, '1'));
    const v = await fx.sink.apply(vWrite, ctx);
    const rel = await fx.sink.apply({ op: 'relate', type: 'Contains::Contained by', parentId: m.id, childId: v.id, holder: 'child' }, ctx);
    return { m: m.id, v: v.id, rel: rel.id, vWrite };
  }

  it('writes creates, updates, retires, relates and unrelates in one call, one result per write in order', async () => {
    fx = await startServiceNow();
    expect(fx.sink.batchSize).toBe(50);
    const ctx = fx.ctx();
    const e = await existing(ctx);
    const [a, b] = creates('batched', 2) as [CreateWrite, CreateWrite];
    const before = fx.emu.server.requests.length;
    const results = await applyBatch(
      [
        a,
        b,
        { op: 'update', class: e.vWrite.class, key: e.vWrite.key, id: e.v, fields: { short_description: 'updated in a batch' } },
        { op: 'retire', class: e.vWrite.class, key: e.vWrite.key, id: e.m, fields: fx.sink.retiredFields() },
        { op: 'relate', type: 'Depends on::Used by', parentId: e.m, childId: e.v, holder: 'parent' },
        { op: 'unrelate', id: e.rel },
      ],
      ctx,
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true]);
    const ids = results.map((r) => (r.ok ? r.id : ''));
    expect(ids[0]).toBe(stored(a)[0]?.sys_id);
    expect(ids[1]).toBe(stored(b)[0]?.sys_id);
    expect(ids.slice(2, 4)).toEqual([e.v, e.m]);
    expect(ids[5]).toBe(e.rel);
    expect(fx.emu.get('cmdb_ci', e.v)?.short_description).toBe('updated in a batch');
    expect(fx.emu.get('cmdb_ci', e.m)).toMatchObject({ install_status: '7', operational_status: '2' });
    const relations = await collect(fx.sink.readRelations(ctx));
    expect(relations).toEqual([expect.objectContaining({ id: ids[4], type: 'Depends on::Used by', parentId: e.m, childId: e.v })]);
    // One round trip carried all six; relationship types were already known to this run.
    expect(fx.emu.server.requests.slice(before).filter((r) => !r.via && r.method !== 'GET').map((r) => r.path)).toEqual([BATCH]);
  });

  it('judges each sub-request as it would a single request', async () => {
    fx = await startServiceNow();
    const ctx = fx.ctx();
    const e = await existing(ctx);
    const [lost, fine] = creates('per-request', 2) as [CreateWrite, CreateWrite];
    fx.emu.server.faults.inject({ method: 'POST', path: AI_PATH, afterHandling: true, status: 500 });
    fx.emu.server.faults.inject({ method: 'PATCH', path: `${AI_PATH}/${e.v}`, status: 503 });
    fx.emu.denyTable('cmdb_ci_ai_model_deployment');
    const deployment: CreateWrite = { op: 'create', class: 'cmdb_ci_ai_model_deployment', key: 'sagemaker://1/eu/endpoints/x', fields: { name: 'x', correlation_id: 'sagemaker://1/eu/endpoints/x', discovery_source: 'masync' } };
    const results = await applyBatch(
      [
        lost,
        fine,
        { op: 'update', class: e.vWrite.class, key: e.vWrite.key, id: e.v, fields: { short_description: 'not this time' } },
        deployment,
        { op: 'unrelate', id: 'ffffffffffffffffffffffffffffffff' },
        { op: 'relate', type: 'Invented::Type', parentId: e.m, childId: e.v, holder: 'child' },
      ],
      ctx,
    );
    const [r0, r1, r2, r3, r4, r5] = results as [WriteResult, WriteResult, WriteResult, WriteResult, WriteResult, WriteResult];
    // The insert happened before the 500: unknown, and lookup finds it.
    expect(r0).toMatchObject({ ok: false, unknown: true, error: expect.any(OutcomeUnknownError) });
    expect(await fx.sink.lookup(lost, ctx)).toBe(stored(lost)[0]?.sys_id);
    expect(r1).toEqual({ ok: true, id: stored(fine)[0]?.sys_id });
    // A PATCH is safe to send again: a plain failure.
    expect(r2).toMatchObject({ ok: false, unknown: false });
    expect((r2 as { error: Error }).error.message).toContain('HTTP 503');
    expect(r3).toMatchObject({ ok: false, unknown: false, error: expect.any(AuthError) });
    expect((r3 as { error: Error }).error.message).toMatch(/insert of sagemaker:\/\/1\/eu\/endpoints\/x into cmdb_ci_ai_model_deployment in a batch → HTTP 403: User Not Authorized/);
    // Already gone: the goal is met.
    expect(r4).toEqual({ ok: true, id: 'ffffffffffffffffffffffffffffffff' });
    expect(r5).toMatchObject({ ok: false, unknown: false });
    expect((r5 as { error: Error }).error.message).toContain('relationship type "Invented::Type" does not exist');
    expect(fx.emu.server.requests.filter((r) => r.via).map((r) => r.method)).toEqual(['POST', 'POST', 'PATCH', 'POST', 'DELETE']);
  });

  it('never sends an insert again when the whole call failed ambiguously, but lets a call of PATCHes be retried', async () => {
    fx = await startServiceNow();
    const ctx = fx.ctx();
    const e = await existing(ctx);
    const writes = creates('whole', 3);
    fx.emu.server.faults.inject({ method: 'POST', path: BATCH, afterHandling: true, status: 502 });
    const update: SinkWrite = { op: 'update', class: e.vWrite.class, key: e.vWrite.key, id: e.v, fields: { short_description: 'in the lost batch' } };
    const results = await applyBatch([...writes, update], ctx);
    expect(results.map((r) => !r.ok && r.unknown)).toEqual([true, true, true, false]);
    expect(fx.emu.server.count('POST', BATCH)).toBe(1);
    expect(fx.emu.server.count('POST', AI_PATH)).toBe(2 + 3);
    for (const w of writes) expect(await fx.sink.lookup(w, ctx)).toBe(stored(w)[0]?.sys_id);

    fx.emu.server.faults.inject({ method: 'POST', path: BATCH, status: 503 });
    const patches = await applyBatch([{ ...update, fields: { short_description: 'second try' } } as SinkWrite], ctx);
    expect(patches).toEqual([{ ok: true, id: e.v }]);
    expect(fx.emu.server.count('POST', BATCH)).toBe(3);
  });

  it('treats sub-requests a cut-short batch left unserviced as unknown inserts and plain failures', async () => {
    fx = await startServiceNow();
    const ctx = fx.ctx();
    const e = await existing(ctx);
    const [first, second] = creates('cut', 2) as [CreateWrite, CreateWrite];
    fx.emu.server.faults.inject({ method: 'POST', path: AI_PATH, afterHandling: true, destroy: true });
    const update: SinkWrite = { op: 'update', class: e.vWrite.class, key: e.vWrite.key, id: e.v, fields: { short_description: 'after the cut' } };
    const results = await applyBatch([first, second, update], ctx);
    expect(results.map((r) => (r.ok ? 'ok' : r.unknown ? 'unknown' : 'failed'))).toEqual(['unknown', 'unknown', 'failed']);
    expect(stored(first)).toHaveLength(1);
    expect(stored(second)).toHaveLength(0);
    expect(fx.emu.get('cmdb_ci', e.v)?.short_description).not.toBe('after the cut');
  });

  it.each(['no-role', 'inactive'] as const)('falls back to the Table API for the rest of the run when the instance answers %s', async (mode) => {
    fx = await startServiceNow();
    fx.emu.setBatchApi(mode);
    const ctx = fx.ctx();
    const first = creates('fallback-a', 3);
    const second = creates('fallback-b', 2);
    const results = [...(await applyBatch(first, ctx)), ...(await applyBatch(second, ctx))];
    expect(results.every((r) => r.ok)).toBe(true);
    for (const w of [...first, ...second]) expect(stored(w)).toHaveLength(1);
    expect(fx.emu.server.count('POST', BATCH)).toBe(1);
    expect(fx.emu.server.requests.filter((r) => r.method === 'POST' && r.path === AI_PATH && !r.via)).toHaveLength(5);
    expect(fx.deps.logger.lines.filter((l) => l.includes('refuses the Batch API'))).toHaveLength(1);
  });

  it('has no applyBatch when configured for the Table API', async () => {
    fx = await startServiceNow({ config: { writeApi: 'table' } });
    expect(fx.sink.applyBatch).toBeUndefined();
    expect(fx.sink.batchSize).toBeUndefined();
  });

  it('under seeded chaos, settling unknowns by lookup as the engine does leaves exactly one CI per create', async () => {
    fx = await startServiceNow({ config: { batchSize: 10 } });
    const ctx = fx.ctx();
    const all = creates('chaos', 60);
    fx.emu.server.setChaos({ seed: 42, errorRate: 0.15, lostAnswerRate: 0.15, statuses: [502, 503, 504] });
    let pending = all;
    for (let round = 0; pending.length > 0 && round < 20; round++) {
      const next: CreateWrite[] = [];
      for (let i = 0; i < pending.length; i += 10) {
        const chunk = pending.slice(i, i + 10);
        const results = await applyBatch(chunk, ctx);
        for (const [j, r] of results.entries()) {
          const w = chunk[j] as CreateWrite;
          if (r.ok) continue;
          // What the engine does: an unknown outcome is looked up, never sent again blindly.
          if (r.unknown && (await fx.sink.lookup(w, ctx)) !== undefined) continue;
          next.push(w);
        }
      }
      pending = next;
    }
    fx.emu.server.setChaos(undefined);
    expect(pending).toEqual([]);
    for (const w of all) expect(stored(w)).toHaveLength(1);
    expect(fx.emu.server.requests.some((r) => r.status === 0 || (r.status ?? 0) >= 500)).toBe(true);
  });
});

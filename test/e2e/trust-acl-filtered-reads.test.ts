import { DEMO, SINK, logLines, startWorld, type World } from '../support/sync-world';

interface SyncJson {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
  errors: string[];
  notes: string[];
}

const AI_CLASS = 'cmdb_ci_appl_ai_application';

/** Issue 5: a read an ACL filters to empty (200, no rows) is not the truth about the instance. */
describe('reads an ACL filters to empty', () => {
  let w: World;
  afterEach(() => w.stop());

  const sync = async (...args: string[]) => {
    const r = await w.cli(['sync', '--json', ...args]);
    return { ...r, json: JSON.parse(r.stdout) as SyncJson };
  };
  const writesSent = () => ['POST', 'PATCH', 'PUT', 'DELETE'].reduce((n, m) => n + w.servicenow.server.count(m, '/api/now/table/') + w.servicenow.server.count(m, '/api/now/v1/batch'), 0);

  it('sys_dictionary hidden: no CI is written without identity or owner, and the error names the ACL', async () => {
    w = await startWorld();
    w.servicenow.setReadAcl((table) => table !== 'sys_dictionary');
    const r = await sync();
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('failed');
    expect(r.json.errors.join('\n')).toMatch(/sys_dictionary shows no columns for cmdb_ci_appl_ai_application.*grant the integration user read on sys_dictionary/);
    expect(writesSent()).toBe(0);
    expect(w.managed()).toHaveLength(0);
    expect(w.servicenow.query(AI_CLASS, 'correlation_id=')).toEqual([expect.objectContaining({ name: 'churn-scorer' })]);
  });

  it('managed classes hidden while state says masync made 20 CIs: nothing recreated, retired or related, and the run says why', async () => {
    w = await startWorld();
    expect((await sync()).json.status).toBe('ok');
    w.servicenow.server.clearRequests();
    w.servicenow.setReadAcl((table) => table !== AI_CLASS);

    const r = await sync('--full');
    expect(r.code).toBe(3);
    expect(r.json.status).toBe('partial');
    expect(r.json.planned).toMatchObject({ create: 0, retire: 0, relate: 0, unrelate: 0 });
    expect(r.json.errors).toEqual([]);
    expect(r.json.notes.join('\n')).toMatch(/sink cmdb-trust: the read returned 0 record\(s\) and misses 20 of the 20 active record\(s\) masync made \(an ACL or filter hiding them\?\); 20 record\(s\) masync made before are not recreated/);
    const warned = logLines(r.stderr).filter((l) => l.level === 'warn' && l.connector === SINK);
    expect(warned.map((l) => l.message).join('\n')).toContain('misses 20 of the 20 active record(s)');
    expect(writesSent()).toBe(0);

    w.servicenow.setReadAcl(undefined);
    const after = await sync('--full');
    expect(after.json).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0, unchanged: DEMO.cis } });
    expect(w.managed()).toHaveLength(DEMO.cis);
    expect(w.relations()).toHaveLength(DEMO.relations);
  });

  it('cmdb_rel_ci hidden: no relation drawn again, none removed, the run partial', async () => {
    w = await startWorld();
    await sync();
    w.servicenow.server.clearRequests();
    w.servicenow.setReadAcl((table) => table !== 'cmdb_rel_ci');
    const r = await sync('--full');
    expect(r.json).toMatchObject({ status: 'partial', planned: { create: 0, relate: 0, unrelate: 0 } });
    expect(r.json.notes.join('\n')).toContain('the relation read returned 0 and misses 15 of the 15 relation(s) masync drew');
    expect(writesSent()).toBe(0);
    w.servicenow.setReadAcl(undefined);
    expect(w.relations()).toHaveLength(DEMO.relations);
    expect((await sync('--full')).json).toMatchObject({ status: 'ok', planned: { relate: 0, unrelate: 0 } });
  });
});

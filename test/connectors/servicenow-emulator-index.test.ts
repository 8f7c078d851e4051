import { ServiceNowEmulator } from '../../connectors/sinks/servicenow/emulator';
import { seedSandboxInstance } from '../../connectors/sinks/servicenow/fixtures/sandbox';
import { seedScale } from '../../connectors/sinks/servicenow/fixtures/scale';

/**
 * The emulator answers `=`, `IN` and `INSTANCEOF` conditions from indexes
 * and keeps results until the next write. A query with a second `^NQ` group
 * that matches nothing has the same meaning but is always answered by
 * scanning the table, so the two must give the same rows in the same order.
 */
const scanned = (emu: ServiceNowEmulator, table: string, query: string) => emu.query(table, `${query}^NQsys_idISEMPTY`);

describe('ServiceNow emulator: indexed queries', () => {
  const emu = new ServiceNowEmulator();
  const seed = seedSandboxInstance(emu);
  seedScale(emu, 120);
  const ci = (n: number) => emu.query('cmdb_ci_appl_ai_application', 'discovery_source=masync^ORDERBYname')[n] ?? {};
  const rel = () => emu.list('cmdb_rel_ci')[3] ?? {};

  const cases = (): Array<[string, string]> => [
    ['cmdb_ci_appl_ai_application', 'discovery_source=masync^sys_class_name=cmdb_ci_appl_ai_application^ORDERBYsys_id'],
    ['cmdb_ci', 'discovery_source=masync'],
    ['cmdb_ci_appl_ai_application', `correlation_id=${ci(7).correlation_id}^discovery_source=masync^ORDERBYsys_id`],
    ['cmdb_ci', 'sys_class_nameINSTANCEOFcmdb_ci_appl'],
    ['cmdb_ci', 'sys_class_name=cmdb_ci_appl^install_status=1'],
    ['cmdb_ci', 'sys_class_nameINcmdb_ci_appl_ai_application,cmdb_ci_ai_model_deployment^ORDERBYDESCname'],
    ['cmdb_ci_appl', 'nameINbulk-model-000001,bulk-model-000002 v1,SAP ERP'],
    ['cmdb_rel_ci', `parent=${rel().parent}^child=${rel().child}^type=${rel().type}`],
    ['cmdb_rel_ci', 'parent.discovery_source=masync^ORchild.discovery_source=masync^ORDERBYsys_id'],
    ['sys_db_object', 'nameINcmdb_ci,cmdb_ci_appl,cmdb_ci_appl_ai_application'],
    ['sys_dictionary', 'nameINcmdb,cmdb_ci^elementISNOTEMPTY'],
    ['sys_user', 'user_nameINalice,carol^ORuser_name=bob'],
    ['sys_user', 'email=bob@example.com'],
    ['cmdb_ci', 'discovery_source=masync^ORDERBYowned_by'],
    ['cmdb_ci', 'version=6.0^discovery_source=ServiceNow'],
    ['cmdb_ci', 'discovery_source=^install_status=1'],
    ['cmdb_ci', `sys_idIN${seed.unmanaged.Payroll},${ci(2).sys_id},not-an-id`],
    ['cmdb_ci', 'name=SAP ERP^NQdiscovery_source=Manual'],
  ];

  const expectSameAsScan = () => {
    for (const [table, query] of cases()) {
      const indexed = emu.query(table, query);
      expect({ table, query, rows: indexed.map((r) => r.sys_id) }).toEqual({ table, query, rows: scanned(emu, table, query).map((r) => r.sys_id) });
    }
  };

  it('gives the rows and order a scan gives', () => {
    expectSameAsScan();
    // And they are not trivially empty.
    expect(emu.query('cmdb_ci', 'discovery_source=masync')).toHaveLength(120);
    expect(emu.query('cmdb_ci_appl_ai_application', `correlation_id=${ci(7).correlation_id}^discovery_source=masync`)).toHaveLength(1);
    expect(emu.query('sys_user', 'user_nameINalice,carol^ORuser_name=bob')).toHaveLength(3);
  });

  it('keeps its indexes and cached results true through updates, deletes and inserts', () => {
    const before = emu.query('cmdb_ci', 'discovery_source=masync');
    const [moved, renamed, removed] = [ci(5), ci(9), ci(11)];
    const correlation = renamed.correlation_id ?? '';
    emu.setField('cmdb_ci', moved.sys_id ?? '', 'discovery_source', 'ServiceNow');
    emu.setField('cmdb_ci', renamed.sys_id ?? '', 'correlation_id', 'changed');
    emu.delete('cmdb_ci', removed.sys_id ?? '');
    emu.delete('cmdb_rel_ci', rel().sys_id ?? '');
    const added = emu.insert('cmdb_ci_appl', { name: 'newcomer', discovery_source: 'masync' });
    expectSameAsScan();
    const after = emu.query('cmdb_ci', 'discovery_source=masync');
    expect(after).toHaveLength(before.length - 1);
    expect(after.map((r) => r.sys_id)).not.toContain(moved.sys_id);
    expect(after[after.length - 1]?.sys_id).toBe(added.sys_id);
    expect(emu.query('cmdb_ci', `correlation_id=${correlation}`)).toEqual([]);
    expect(emu.query('cmdb_ci', 'correlation_id=changed')).toHaveLength(1);
  });

  it('sees a table defined later, with its rows under every ancestor', () => {
    const store = emu.query('sys_db_object', 'name=cmdb_ci_appl')[0];
    emu.insert('sys_db_object', { name: 'u_ml_feature_store', super_class: store?.sys_id, label: 'Feature store' });
    const row = emu.insert('u_ml_feature_store', { name: 'features', discovery_source: 'masync' });
    expect(emu.query('cmdb_ci', 'sys_class_nameINSTANCEOFcmdb_ci_appl^name=features').map((r) => r.sys_id)).toEqual([row.sys_id]);
    expectSameAsScan();
  });

  it('reads a relative date the way integrations write it', () => {
    const t = emu.query('cmdb_ci', 'discovery_source=masync^ORDERBYsys_updated_on')[0]?.sys_updated_on ?? '';
    const [day, time] = t.split(' ');
    expect(emu.query('cmdb_ci', `discovery_source=masync^sys_updated_on>=javascript:gs.dateGenerate('${day}','${time}')`)).toEqual(
      emu.query('cmdb_ci', `discovery_source=masync^sys_updated_on>=${t}`),
    );
  });
});

import { CreateOp } from '../../src/engine/create-op';
import { reconcile } from '../../src/engine/reconcile';
import type { DesiredRecord } from '../../src/engine/types';

const desired: DesiredRecord = {
  key: 'mlflow://a/models/m/versions/1',
  kind: 'model_version',
  source: 'mlflow',
  class: 'cmdb_ci_appl_ai_application',
  fields: { name: 'm v1', owned_by: 'id-alice', u_stage: 'Production' },
  sinkAuthoritative: [],
  relations: [],
  lookups: {},
  labels: { owned_by: 'alice' },
};

function planned(): CreateOp {
  const { plan } = reconcile({
    sinks: [
      {
        sink: 'cmdb',
        desired: [desired],
        actual: [],
        relations: [],
        links: new Map(),
        identityOf: (k) => k,
        retiredFields: { install_status: '7' },
        createdByMasync: new Set(),
        missing: new Set(),
        knownRelations: { has: () => false, ids: () => new Set<string>() },
      },
    ],
    mayRetire: () => true,
    inScope: new Set(['mlflow']),
    attribute: () => ({ source: 'mlflow', kind: 'model_version' }),
    maxRetireFraction: 1,
    titleOf: () => 'm v1',
  });
  const op = plan.ops[0];
  if (!(op instanceof CreateOp)) throw new Error('expected a create');
  return op;
}

describe('a planned create', () => {
  it('serializes as the plain op of the plan contract, every field set from nothing with its label', () => {
    expect(JSON.parse(JSON.stringify(planned()))).toEqual({
      op: 'create',
      sink: 'cmdb',
      kind: 'model_version',
      key: desired.key,
      title: 'm v1',
      class: 'cmdb_ci_appl_ai_application',
      changes: {
        name: { from: null, to: 'm v1' },
        owned_by: { from: null, to: 'id-alice', toLabel: 'alice' },
        u_stage: { from: null, to: 'Production' },
      },
    });
  });

  it('writes the desired record’s own values rather than a copy of them', () => {
    const op = planned();
    expect(op.values).toBe(desired.fields);
    expect(Object.keys(op.changes)).toEqual(['name', 'owned_by', 'u_stage']);
  });
});

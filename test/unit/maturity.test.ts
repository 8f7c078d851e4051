import { maturity, tierOf } from '../../src/enrich/maturity';
import type { InventoryItem } from '../../src/inventory';
import { deployment } from '../support/deployments';
import { modelItem, versionItem } from '../support/items';

const governed = { runId: 'run-1', metrics: { auc: 0.9 }, owner: 'alice' };

/**
 * A known inventory: MLflow has four production models (fraud and churn fully
 * governed; ranker without lineage; pricing without owner or evaluation) and
 * one model never in production; SageMaker has one governed production model
 * and a live endpoint serving nothing registered.
 */
function inventory(): InventoryItem[] {
  const m = (name: string, source = 'mlflow', extra = {}) => modelItem(`${source}://x/models/${name}`, source, name, extra);
  const fraud = m('fraud');
  const churn = m('churn', 'mlflow', { owner: 'bob' });
  const ranker = m('ranker');
  const pricing = m('pricing');
  const scratch = m('scratch');
  const credit = m('credit', 'sagemaker');
  return [
    fraud,
    versionItem(fraud, '1', { stage: 'Archived' }),
    versionItem(fraud, '2', { stage: 'Production', ...governed }),
    churn,
    // Owner from the model; lineage from a dataset digest; production by alias.
    versionItem(churn, '7', { aliases: ['champion'], datasets: [{ name: 'churn', digest: 'sha256:9' }], metrics: { f1: 0.8 } }),
    ranker,
    versionItem(ranker, '3', { stage: 'Production', owner: 'carol', metrics: { ndcg: 0.7 }, datasets: [{ name: 'clicks' }] }),
    pricing,
    // An old production version fully governed, a newer one not: the newest is judged.
    versionItem(pricing, '1', { stage: 'Production', ...governed }),
    versionItem(pricing, '2', { stage: 'Production', runId: 'run-2' }),
    scratch,
    versionItem(scratch, '1', { stage: 'Staging' }),
    credit,
    versionItem(credit, '4', { stage: 'Production', ...governed }),
    deployment('sentiment-poc', { source: 'sagemaker', owner: 'dave' }),
    deployment('stopped', { source: 'sagemaker', status: 'OutOfService' }),
  ];
}

describe('lifecycle maturity score', () => {
  it('is the share of production models fully governed, overall and per source, with what pulls it down', () => {
    const score = maturity(inventory());
    expect(score.overall).toEqual({ score: 3 / 6, tier: 'Average', governed: 3, total: 6 });
    expect(score.bySource).toEqual([
      { source: 'mlflow', score: 2 / 4, tier: 'Average', governed: 2, total: 4 },
      { source: 'sagemaker', score: 1 / 2, tier: 'Average', governed: 1, total: 2 },
    ]);
    expect(score.pullingDown.map((p) => [p.title, p.missing])).toEqual([
      ['sentiment-poc', ['registered', 'lineage', 'version', 'evaluation']],
      ['pricing', ['owner', 'evaluation']],
      ['ranker', ['lineage']],
    ]);
  });

  it('aliases that mean production are configurable', () => {
    const m = modelItem('mlflow://x/models/a', 'mlflow', 'a');
    const items = [m, versionItem(m, '1', { aliases: ['live'], ...governed })];
    expect(maturity(items).overall.total).toBe(0);
    expect(maturity(items, ['live']).overall).toMatchObject({ governed: 1, total: 1, tier: 'Elite' });
  });

  it.each([
    [1, 'Elite'],
    [0.91, 'Elite'],
    [0.9, 'Good'],
    [0.7, 'Good'],
    [0.69, 'Average'],
    [0.4, 'Average'],
    [0.39, 'Weak'],
    [0.2, 'Weak'],
    [0.19, 'Chaos'],
    [0, 'Chaos'],
  ])('%s is %s', (score, tier) => expect(tierOf(score)).toBe(tier));
});

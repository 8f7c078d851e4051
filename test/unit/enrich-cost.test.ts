import { applyCosts, type PriceTable } from '../../src/enrich/cost';
import type { Cost, DeploymentItem, InventoryItem, ModelItem, ModelVersionItem } from '../../src/inventory';
import { deployment } from '../support/deployments';
import { modelItem, versionItem } from '../support/items';

const PRICES: PriceTable = { currency: 'USD', hoursPerMonth: 730, hourly: { 'ml.m5.large': 0.1, 'ml.g5.xlarge': 1.5 } };
const risk = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud', { costCenter: 'Risk' });
const v1 = versionItem(risk, '1');
const v2 = versionItem(risk, '2');
const growth = modelItem('mlflow://m/models/churn', 'mlflow', 'churn', { costCenter: 'Growth' });
const c1 = versionItem(growth, '1');

const find = <T extends InventoryItem>(items: InventoryItem[], key: string) => items.find((i) => i.key === key) as T;

describe('cost per deployment, rolled up', () => {
  it('estimates from the price table, summed over every variant, and says so', () => {
    const d = deployment('ab', {
      variants: [
        { name: 'A', instanceType: 'ml.m5.large', currentInstanceCount: 2, served: [], servesVersionKey: v1.key },
        { name: 'B', instanceType: 'ml.g5.xlarge', currentInstanceCount: 1, served: [], servesVersionKey: v2.key },
      ],
    });
    const { items } = applyCosts([risk, v1, v2, d], new Map(), PRICES);
    expect(find<DeploymentItem>(items, d.key).cost).toEqual({ monthly: 1241, currency: 'USD', estimated: true, basis: 'price table: ml.m5.large × 2 + ml.g5.xlarge × 1 × 730 h' });
  });

  it('a measured cost (billing data) wins over the estimate', () => {
    const measured: Cost = { monthly: 99.5, currency: 'USD', estimated: false, basis: 'cost-explorer tag masync:endpoint' };
    const d = deployment('busy');
    const { items } = applyCosts([d], new Map([[d.key, measured]]), PRICES);
    expect(find<DeploymentItem>(items, d.key).cost).toEqual(measured);
  });

  it('serverless capacity, inference components and unpriced types get no estimate (and the plan says which types lack a price)', () => {
    const serverless = deployment('sl', { variants: [{ name: 'AllTraffic', serverless: { memorySizeMb: 2048, maxConcurrency: 5 }, served: [] }] });
    const component = deployment('host', { component: 'ic-1', key: 'sagemaker://111122223333/us-east-1/endpoints/host/components/ic-1' });
    const odd = deployment('odd', { variants: [{ name: 'AllTraffic', instanceType: 'ml.x9.huge', currentInstanceCount: 1, served: [] }] });
    const out = applyCosts([serverless, component, odd], new Map(), PRICES);
    expect(out.items.every((i) => i.cost === undefined)).toBe(true);
    expect(out.notes).toEqual(['no price for instance type(s) ml.x9.huge: add them under cost.prices; those deployments have no cost']);
  });

  it('rolls up: a variant share to its version, versions to their model, models to their cost center', () => {
    const ab = deployment('ab', {
      variants: [
        { name: 'A', instanceType: 'ml.m5.large', currentInstanceCount: 3, served: [], servesVersionKey: v1.key },
        { name: 'B', instanceType: 'ml.m5.large', currentInstanceCount: 1, served: [], servesVersionKey: v2.key },
      ],
    });
    const other = deployment('churn', { variants: [{ name: 'AllTraffic', instanceType: 'ml.g5.xlarge', currentInstanceCount: 1, served: [], servesVersionKey: c1.key }] });
    const { items, centers } = applyCosts([risk, v1, v2, growth, c1, ab, other], new Map(), PRICES);
    // ab costs 4 × 0.1 × 730 = 292: 3/4 to v1, 1/4 to v2.
    expect(find<ModelVersionItem>(items, v1.key).cost?.monthly).toBe(219);
    expect(find<ModelVersionItem>(items, v2.key).cost?.monthly).toBe(73);
    expect(find<ModelItem>(items, risk.key).cost).toMatchObject({ monthly: 292, estimated: true, basis: 'sum of 2 version(s)' });
    expect(centers).toEqual([
      { name: 'Growth', monthly: 1095, currency: 'USD' },
      { name: 'Risk', monthly: 292, currency: 'USD' },
    ]);
  });
});

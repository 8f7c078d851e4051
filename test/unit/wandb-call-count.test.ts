import { minimumCalls } from '../../connectors/sources/wandb/call-count';

describe('W&B minimumCalls (hand-counted)', () => {
  it('one page of collections carries their first versions: 100 collections of 10 at 100/page is one POST', () => {
    expect(minimumCalls({ scopes: [Array.from({ length: 100 }, () => 10)], pageSize: 100 })).toBe(1);
  });

  it('adds a collection page per 100, and per big collection a follow-up per further 1,000 versions', () => {
    // 250 collections → 3 pages; one holds 2,150 versions: 100 nested, 2,050 more → 3 follow-ups.
    const scope = [...Array.from({ length: 249 }, () => 1), 2150];
    expect(minimumCalls({ scopes: [scope], pageSize: 100 })).toBe(3 + 3);
  });

  it('an empty scope still costs its one page; registry discovery one query per 1,000 registries', () => {
    expect(minimumCalls({ scopes: [[], [5]], registries: 2, pageSize: 100 })).toBe(1 + 1 + 1);
    expect(minimumCalls({ scopes: [], registries: 0, pageSize: 100 })).toBe(1);
  });

  it('a warm read asks for unsettled runs 50 per POST', () => {
    expect(minimumCalls({ scopes: [[10]], pageSize: 100, runsToFetch: 0 })).toBe(1);
    expect(minimumCalls({ scopes: [[10]], pageSize: 100, runsToFetch: 51 })).toBe(1 + 2);
  });
});

import { assetsCallBound, type AssetsRunShape } from '../../connectors/sinks/jira-assets/call-count';

const shape = (o: Partial<AssetsRunShape>): AssetsRunShape => ({
  deployment: 'cloud',
  warm: false,
  objectsPerType: [0, 0, 0],
  pageSize: 1000,
  owners: 0,
  writes: { records: 0, relations: 0 },
  foldable: 0,
  ...o,
});

describe('Jira Assets assetsCallBound (hand-counted)', () => {
  it('a first sync on Cloud: workspace 1 + catalog 5 + an empty page per type + owners; one create per record, references folded', () => {
    const c = assetsCallBound(shape({ owners: 3, writes: { records: 1100, relations: 1000 }, foldable: 1000 }), 4);
    expect(c.reads).toBe(1 + 5 + 3 + 3);
    expect(c.writes).toBe(1100);
    expect(c.path).toEqual({ read: 1 + 3 + 1, resolve: 1, write: 275 });
  });

  it('a re-sync: no workspace call, pages of 1,000 per type, relations on existing objects cost an update each', () => {
    const c = assetsCallBound(shape({ warm: true, objectsPerType: [100, 2001, 0], owners: 2, writes: { records: 3, relations: 2 }, foldable: 0 }), 4);
    expect(c.reads).toBe(5 + (1 + 3 + 1) + 2);
    expect(c.writes).toBe(3 + 2);
    expect(c.path).toEqual({ read: 3 + 3, resolve: 1, write: 1 + 1 });
  });

  it('Data Center has no workspace to discover, cold or warm', () => {
    expect(assetsCallBound(shape({ deployment: 'datacenter' }), 4).reads).toBe(5 + 3);
  });
});

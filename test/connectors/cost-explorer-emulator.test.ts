import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { COST_EXPLORER_EMULATOR_CREDENTIALS, CostExplorerEmulator } from '../../connectors/enrichers/cost-explorer/emulator';

const TAG = 'masync:endpoint';
const emu = new CostExplorerEmulator({ clock: () => new Date('2026-11-03T08:00:00Z'), pageSize: 3 });
let client: CostExplorerClient;

beforeAll(async () => {
  emu.activateTag(TAG, '2026-01-01');
  for (const day of ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03']) {
    emu.addCost({ day, amount: 1.25, tags: { [TAG]: 'a' } });
    emu.addCost({ day, amount: 0.1, tags: { [TAG]: 'b', team: 'x' } });
    emu.addCost({ day, amount: 2, tags: {} });
  }
  await emu.start();
  client = sdk('us-east-1');
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

function sdk(region: string): CostExplorerClient {
  return new CostExplorerClient({
    region,
    endpoint: emu.url,
    maxAttempts: 1,
    credentials: { accessKeyId: COST_EXPLORER_EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: COST_EXPLORER_EMULATOR_CREDENTIALS.secretAccessKey },
  });
}

const base: GetCostAndUsageCommandInput = {
  TimePeriod: { Start: '2026-10-30', End: '2026-11-03' },
  Granularity: 'DAILY',
  Metrics: ['UnblendedCost'],
  Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon SageMaker'] } },
  GroupBy: [{ Type: 'TAG', Key: TAG }],
};
const get = (input: Partial<GetCostAndUsageCommandInput> = {}, c = client) => c.send(new GetCostAndUsageCommand({ ...base, ...input }));

async function failure(p: Promise<unknown>): Promise<Error> {
  const out = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(out instanceof Error)) throw new Error('expected the call to fail');
  return out;
}

describe('cost-explorer emulator: GetCostAndUsage on the wire', () => {
  it('groups by tag as "<key>$<value>" ("<key>$" untagged), amounts as strings, Estimated while the month is open, in pages', async () => {
    const first = await get();
    expect(first.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Estimated, r.Groups?.map((g) => [g.Keys?.[0], g.Metrics?.UnblendedCost?.Amount])])).toEqual([
      ['2026-10-30', false, [[`${TAG}$`, '2'], [`${TAG}$a`, '1.25'], [`${TAG}$b`, '0.1']]],
    ]);
    expect(first.ResultsByTime?.[0]?.Total).toEqual({});
    const second = await get({ NextPageToken: first.NextPageToken });
    expect(second.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Estimated])).toEqual([['2026-10-31', false]]);
    const third = await get({ NextPageToken: second.NextPageToken });
    expect(third.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Estimated])).toEqual([['2026-11-01', true]]);
  });

  it('answers RequestChangedException when a token comes back with another request, InvalidNextTokenException for garbage', async () => {
    const first = await get();
    const changed = await failure(get({ Metrics: ['AmortizedCost'], NextPageToken: first.NextPageToken }));
    expect(changed.name).toBe('RequestChangedException');
    const garbage = await failure(get({ NextPageToken: 'not-a-token' }));
    expect(garbage.name).toBe('InvalidNextTokenException');
  });

  it('totals without GroupBy, hides the cost of a tag key not activated, and evaluates And/Not filters', async () => {
    const total = await get({ GroupBy: undefined, TimePeriod: { Start: '2026-10-30', End: '2026-10-31' } });
    expect(total.ResultsByTime?.[0]?.Total?.UnblendedCost).toEqual({ Amount: '3.35', Unit: 'USD' });
    const team = await get({ GroupBy: [{ Type: 'TAG', Key: 'team' }], TimePeriod: { Start: '2026-10-30', End: '2026-10-31' } });
    expect(team.ResultsByTime?.[0]?.Groups?.map((g) => g.Keys?.[0])).toEqual(['team$']);
    const notA = await get({
      TimePeriod: { Start: '2026-10-30', End: '2026-10-31' },
      Filter: { And: [{ Dimensions: { Key: 'SERVICE', Values: ['Amazon SageMaker'] } }, { Not: { Tags: { Key: TAG, Values: ['a'] } } }] },
    });
    expect(notA.ResultsByTime?.[0]?.Groups?.map((g) => g.Keys?.[0])).toEqual([`${TAG}$`, `${TAG}$b`]);
  });

  it('stops at today, refuses a future start and a bad period', async () => {
    const monthly = await get({ Granularity: 'MONTHLY', GroupBy: undefined, TimePeriod: { Start: '2026-10-30', End: '2026-12-01' } });
    expect(monthly.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.TimePeriod?.End, r.Total?.UnblendedCost?.Amount])).toEqual([
      ['2026-10-30', '2026-11-01', '6.7'],
      ['2026-11-01', '2026-11-04', '10.05'],
    ]);
    expect((await failure(get({ TimePeriod: { Start: '2026-11-10', End: '2026-11-12' } }))).name).toBe('DataUnavailableException');
    expect((await failure(get({ TimePeriod: { Start: '2026-11-02', End: '2026-11-01' } }))).name).toBe('ValidationException');
    expect((await failure(get({ TimePeriod: { Start: '2026-02-30', End: '2026-03-02' } }))).name).toBe('ValidationException');
    expect((await failure(get({ GroupBy: [{ Type: 'TAG', Key: 'a' }, { Type: 'TAG', Key: 'b' }, { Type: 'TAG', Key: 'c' }] }))).name).toBe('ValidationException');
  });

  it('throttles with LimitExceededException and accepts only us-east-1 signatures', async () => {
    emu.throttleNext(1);
    expect((await failure(get())).name).toBe('LimitExceededException');
    const west = sdk('us-west-2');
    const err = await failure(get({}, west));
    west.destroy();
    expect(err.name).toBe('InvalidSignatureException');
  });
});

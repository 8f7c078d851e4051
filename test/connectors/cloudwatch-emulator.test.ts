import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CLOUDWATCH_EMULATOR_CREDENTIALS, CloudWatchEmulator } from '../../connectors/enrichers/cloudwatch/emulator';

const emu = new CloudWatchEmulator({ pageLimit: 3 });
let client: CloudWatchClient;

beforeAll(async () => {
  for (const day of ['2026-11-02', '2026-11-04', '2026-11-05']) emu.addInvocations({ region: 'eu-west-1', endpoint: 'ep', variant: 'AllTraffic', day, count: 1 });
  emu.addInvocations({ region: 'eu-west-1', endpoint: 'ep', variant: 'AllTraffic', day: '2026-11-05', count: 4 });
  for (const day of ['2026-11-03', '2026-11-06']) emu.addInvocations({ region: 'eu-west-1', endpoint: 'two', variant: 'AllTraffic', day, count: 7 });
  await emu.start();
  client = sdk('eu-west-1');
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

function sdk(region: string, secretAccessKey = CLOUDWATCH_EMULATOR_CREDENTIALS.secretAccessKey): CloudWatchClient {
  return new CloudWatchClient({ region, endpoint: emu.url, maxAttempts: 1, credentials: { accessKeyId: CLOUDWATCH_EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey } });
}

const query = (id: string, endpoint = 'ep'): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: [{ Name: 'VariantName', Value: 'AllTraffic' }, { Name: 'EndpointName', Value: endpoint }] },
    Period: 86_400,
    Stat: 'Sum',
  },
});
const window = { StartTime: new Date('2026-11-01T00:00:00Z'), EndTime: new Date('2026-11-08T00:00:00Z') };
const get = (input: Partial<GetMetricDataCommandInput>, c = client) => c.send(new GetMetricDataCommand({ MetricDataQueries: [query('m1')], ...window, ...input }));

async function failure(p: Promise<unknown>): Promise<Error & { Code?: string; $metadata?: { httpStatusCode?: number } }> {
  const out = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(out instanceof Error)) throw new Error('expected the call to fail');
  return out;
}

describe('cloudwatch emulator: GetMetricData on the wire', () => {
  it('answers daily sums newest first, with no datapoint for a day without traffic, whatever the dimension order', async () => {
    const out = await get({});
    const r = out.MetricDataResults?.[0];
    expect(r?.Timestamps?.map((t) => t.toISOString().slice(0, 10))).toEqual(['2026-11-05', '2026-11-04', '2026-11-02']);
    expect(r?.Values).toEqual([5, 1, 1]);
    expect(r?.StatusCode).toBe('Complete');
    expect(out.NextToken).toBeUndefined();
  });

  it('sums a multi-day period and honours ScanBy', async () => {
    const out = await get({ ScanBy: 'TimestampAscending', MetricDataQueries: [{ ...query('m1'), MetricStat: { ...query('m1').MetricStat!, Period: 3 * 86_400 } }] });
    // Periods start at StartTime: 11-01…11-03 holds 1, 11-04…11-06 holds 1 + 5, 11-07 nothing.
    expect(out.MetricDataResults?.[0]?.Values).toEqual([1, 6]);
  });

  it('pages at the server limit, marks a series running on as PartialData, and answers an idle series once', async () => {
    const queries = [query('two', 'two'), query('m1'), query('idle', 'nobody')];
    const first = await get({ MetricDataQueries: queries });
    expect(first.MetricDataResults?.map((r) => [r.Id, r.StatusCode, r.Values?.length])).toEqual([
      ['two', 'Complete', 2],
      ['m1', 'PartialData', 1],
    ]);
    expect(first.NextToken).toBeDefined();
    const second = await get({ MetricDataQueries: queries, NextToken: first.NextToken });
    expect(second.MetricDataResults?.map((r) => [r.Id, r.StatusCode, r.Values?.length])).toEqual([
      ['m1', 'Complete', 2],
      ['idle', 'Complete', 0],
    ]);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses a NextToken with a request it did not come from', async () => {
    const first = await get({ MetricDataQueries: [query('two', 'two'), query('m1')] });
    expect(first.NextToken).toBeDefined();
    const err = await failure(get({ MetricDataQueries: [query('m1'), query('two', 'two')], NextToken: first.NextToken }));
    expect(err.name).toBe('InvalidNextToken');
  });

  it('enforces the 500-query limit and the id rules, with query-compatible codes', async () => {
    const many = Array.from({ length: 501 }, (_, i) => query(`q${i}`));
    const tooMany = await failure(get({ MetricDataQueries: many }));
    expect(tooMany.message).toBe('The collection MetricDataQueries must not have a size greater than 500.');
    expect(tooMany.$metadata?.httpStatusCode).toBe(400);
    expect((tooMany as unknown as { Error: { Code: string } }).Error.Code).toBe('InvalidParameterValue');

    const upper = await failure(get({ MetricDataQueries: [query('M1')] }));
    expect(upper.Code).toBe('ValidationError');
    const dup = await failure(get({ MetricDataQueries: [query('m1'), query('m1')] }));
    expect(dup.message).toMatch(/not unique/);
  });

  it('says what it cannot answer instead of answering wrongly', async () => {
    const hourly = await failure(get({ MetricDataQueries: [{ ...query('m1'), MetricStat: { ...query('m1').MetricStat!, Period: 3600 } }] }));
    expect(hourly.message).toMatch(/daily sums/);
    const math = await failure(get({ MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }] }));
    expect(math.message).toMatch(/metric math/);
  });

  it('keeps regions apart by the signature scope', async () => {
    const us = sdk('us-east-1');
    const out = await get({}, us);
    us.destroy();
    expect(out.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('rejects a wrong secret and an unsigned request', async () => {
    const bad = sdk('eu-west-1', 'wrong-secret');
    const err = await failure(get({}, bad));
    bad.destroy();
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(err.$metadata?.httpStatusCode).toBe(403);

    const res = await fetch(emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData', 'x-amzn-query-mode': 'true' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
  });

  it('throttles past its rate limit with 400 Throttling', async () => {
    emu.setRateLimit({ capacity: 1, refillPerSec: 0.001 });
    try {
      await get({});
      const err = await failure(get({}));
      expect(err.name).toBe('Throttling');
      expect(err.message).toBe('Rate exceeded');
    } finally {
      emu.setRateLimit(undefined);
    }
  });
});

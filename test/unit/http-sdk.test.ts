import { createHash, createHmac } from 'node:crypto';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteEndpointCommand, DescribeEndpointCommand, ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { EmulatorServer, type EmuRequest, type EmuResponse } from '../../connectors/emulator-kit';
import { httpOptionsSchema } from '../../src/config/common';
import { ConnectorError, OutcomeUnknownError } from '../../src/errors';
import { awsClientConfig } from '../../src/http/aws-client-config';
import { testDeps, type TestDeps } from '../support/deps';

const CREDENTIALS = { accessKeyId: 'AKIDMASYNCTEST', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRETKEY', sessionToken: 'FwoGZXIvYXdzEMASYNC-session-token' };
const REGION = 'eu-west-1';

/** Recomputes the SigV4 signature as AWS would; a header or byte changed after signing makes it differ. */
function signatureValid(req: EmuRequest): boolean {
  const auth = String(req.headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return false;
  const [, , date, region, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string, string];
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`)
    .join('');
  const query = [...req.query.entries()].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join('&');
  const canonical = [req.method, req.path, query, canonicalHeaders, signedHeaders, sha(req.rawBody)].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', String(req.headers['x-amz-date']), `${date}/${region}/${service}/aws4_request`, sha(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex') === signature;
}

/** A tiny AWS JSON 1.1 (SageMaker) and JSON 1.0 (CloudWatch) endpoint, dispatching on X-Amz-Target. */
async function awsEmulator() {
  const seen: EmuRequest[] = [];
  const ops: Record<string, (req: EmuRequest) => EmuResponse> = {
    'SageMaker.ListEndpoints': () => json11({ Endpoints: [{ EndpointName: 'fraud', EndpointArn: `arn:aws:sagemaker:${REGION}:123456789012:endpoint/fraud`, CreationTime: 1764547200.5, LastModifiedTime: 1764547300, EndpointStatus: 'InService' }] }),
    'SageMaker.DescribeEndpoint': (req) => ({ status: 400, contentType: 'application/x-amz-json-1.1', body: { __type: 'ValidationException', message: `Could not find endpoint "${(req.body as { EndpointName: string }).EndpointName}".` } }),
    'SageMaker.DeleteEndpoint': () => json11({}),
    'GraniteServiceVersion20100801.GetMetricData': () => ({
      status: 200,
      contentType: 'application/x-amz-json-1.0',
      body: { MetricDataResults: [{ Id: 'inv', Label: 'Invocations', Timestamps: [1764460800], Values: [42], StatusCode: 'Complete' }] },
    }),
  };
  const emu = new EmulatorServer({
    name: 'aws',
    errorBody: (status, message) => ({ __type: status >= 500 ? 'InternalFailure' : 'ValidationException', message }),
    routes: [
      {
        method: 'POST',
        path: '/',
        handler: (req) => ops[String(req.headers['x-amz-target'])]?.(req) ?? { status: 400, body: { __type: 'UnknownOperationException' } },
      },
    ],
  });
  emu.onRequest = (req) => void seen.push(req);
  await emu.start();
  return { emu, seen };
}

function json11(body: unknown): EmuResponse {
  return { status: 200, contentType: 'application/x-amz-json-1.1', body };
}

function throttle(code: string): { status: number; contentType: string; body: unknown } {
  return { status: 400, contentType: 'application/x-amz-json-1.1', body: { __type: code, message: 'Rate exceeded' } };
}

describe('AWS SDK clients over masync’s HTTP layer', () => {
  let aws: Awaited<ReturnType<typeof awsEmulator>>;
  let deps: TestDeps;
  const config = () => awsClientConfig({ name: 'aws-test', region: REGION, endpoint: aws.emu.url, credentials: CREDENTIALS, http: httpOptionsSchema.parse({}) }, deps);
  beforeEach(async () => {
    aws = await awsEmulator();
    deps = testDeps();
  });
  afterEach(() => aws.emu.stop());

  it('ListEndpoints: a ThrottlingException twice, then the answer, retried by masync with the request unchanged', async () => {
    aws.emu.faults.inject({ ...throttle('ThrottlingException'), times: 2 });
    const out = await new SageMakerClient(config()).send(new ListEndpointsCommand({ MaxResults: 100 }));
    expect(out.Endpoints?.map((e) => [e.EndpointName, e.CreationTime?.toISOString()])).toEqual([['fraud', '2025-12-01T00:00:00.500Z']]);
    expect(aws.seen).toHaveLength(3);
    expect(aws.seen.every(signatureValid)).toBe(true);
    expect(aws.seen[0]?.headers['content-type']).toBe('application/x-amz-json-1.1');
    const lines = deps.logger.lines.join('\n');
    expect(lines.match(/aws-test: SageMaker\.ListEndpoints → 400 \(\d+ ms\)/g)).toHaveLength(2);
    expect(lines.match(/aws-test: SageMaker\.ListEndpoints → 400 ThrottlingException, retrying in \d+ ms/g)).toHaveLength(2);
    expect(lines).toMatch(/aws-test: SageMaker\.ListEndpoints → 200/);
  });

  it('GetMetricData (JSON 1.0, query-compatible): a 500 and a query-style Throttling are retried', async () => {
    aws.emu.faults.inject({ status: 500, contentType: 'application/x-amz-json-1.0', body: { __type: 'InternalServiceError', message: 'oops' } });
    aws.emu.faults.inject({ status: 400, headers: { 'x-amzn-query-error': 'Throttling;Sender' }, contentType: 'application/x-amz-json-1.0', body: { __type: 'com.amazonaws.cloudwatch#ThrottlingException', message: 'Rate exceeded' } });
    const cw = new CloudWatchClient(config());
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{ Id: 'inv', MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: [{ Name: 'EndpointName', Value: 'fraud' }] }, Period: 86400, Stat: 'Sum' } }],
        StartTime: new Date('2025-11-01T00:00:00Z'),
        EndTime: new Date('2025-12-01T00:00:00Z'),
      }),
    );
    expect(out.MetricDataResults?.[0]?.Values).toEqual([42]);
    expect(aws.seen).toHaveLength(3);
    expect(aws.seen.every(signatureValid)).toBe(true);
    expect(aws.seen[0]?.headers).toMatchObject({ 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData', 'x-amzn-query-mode': 'true', 'content-type': 'application/x-amz-json-1.0' });
  });

  it('a ValidationException is masync’s error, naming the connector and the operation, and is not retried', async () => {
    const err = await new SageMakerClient(config()).send(new DescribeEndpointCommand({ EndpointName: 'nope' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).message).toBe('aws-test: SageMaker.DescribeEndpoint → HTTP 400: ValidationException: Could not find endpoint "nope".');
    expect((err as ConnectorError).props).toMatchObject({ connector: 'aws-test', status: 400, vendorCode: 'ValidationException' });
    expect(aws.seen).toHaveLength(1);
  });

  it('a call that is not a read is not sent again after a 500', async () => {
    aws.emu.faults.inject({ status: 500, afterHandling: true, body: { __type: 'InternalFailure' } });
    const err = await new SageMakerClient(config()).send(new DeleteEndpointCommand({ EndpointName: 'fraud' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(aws.seen).toHaveLength(1);
  });

  it('the secret key, session token and signature never reach a log line or an error', async () => {
    aws.emu.faults.inject({ ...throttle('LimitExceededException') });
    aws.emu.faults.inject({ status: 403, contentType: 'application/x-amz-json-1.1', body: { __type: 'InvalidSignatureException', message: `The request signature we calculated does not match. Secret: ${CREDENTIALS.secretAccessKey}` } });
    const err = await new SageMakerClient(config()).send(new ListEndpointsCommand({})).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AuthError');
    const signatures = aws.seen.map((r) => /Signature=([0-9a-f]+)/.exec(String(r.headers.authorization))?.[1] ?? 'missing');
    const everything = [deps.logger.lines.join('\n'), (err as Error).message, JSON.stringify(err)].join('\n');
    for (const secret of [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken, 'AWS4-HMAC-SHA256 Credential', ...signatures]) expect(everything).not.toContain(secret);
    expect(everything).toContain('[REDACTED]');
  });
});

import { EmulatorServer, HostedEmulator, TokenBucket, type EmuRequest, type EmuResponse, type RateLimit } from '../../emulator-kit';
import { getMetricData } from './emulator/get-metric-data';
import { AwsFault, checkSigV4, parseSigV4 } from '../../aws-kit/emulator';
import { MetricStore, type DimensionValue, type ForcedStatus } from './emulator/store';
import { CONTENT_TYPE, TARGET_PREFIX, errorBody, fault, ok } from './emulator/wire';

export type { ForcedStatus } from './emulator/store';

/** A key pair the emulator accepts, and the account it belongs to. */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  account: string;
}

/** The emulator's default key pair; it guards nothing real. */
export const CLOUDWATCH_EMULATOR_CREDENTIALS: EmulatorCredentials = {
  accessKeyId: 'AKIAMASYNCEMULATOR01',
  secretAccessKey: 'emulator-secret-cloudwatch-7c1d',
  account: '123456789012',
};

export interface CloudWatchEmulatorOptions {
  /** Key pairs it accepts; the first one's account is the default for seeding. */
  credentials?: EmulatorCredentials[];
  /** Most datapoints on one page, below the client's MaxDatapoints: lets tests page without 100,800 points. */
  pageLimit?: number;
}

/** One GetMetricData call as the emulator saw it. */
export interface MetricDataCall {
  account: string;
  region: string;
  queries: number;
  /** It continued an earlier call with a NextToken. */
  continued: boolean;
  status: number;
}

interface Where {
  /** Defaults to the first credentials' account. */
  account?: string;
  region: string;
}

const SAGEMAKER = 'AWS/SageMaker';
const INVOCATIONS = 'Invocations';

/**
 * A local CloudWatch (monitoring) endpoint for GetMetricData, speaking what
 * @aws-sdk/client-cloudwatch ≥3.949 sends: AWS JSON 1.0 in query-compatible
 * mode, SigV4-signed; the region comes from the signature's scope and the
 * account from the access key. Seeded with daily sums in-process.
 */
export class CloudWatchEmulator extends HostedEmulator {
  /** The shared emulator plumbing: `requests`, `faults`, `onRequest`. */
  override readonly server: EmulatorServer;
  readonly calls: MetricDataCall[] = [];
  private readonly store = new MetricStore();
  private readonly keys = new Map<string, EmulatorCredentials>();
  private readonly deniedRegions = new Set<string>();
  private readonly pageLimit: number;
  private readonly defaultAccount: string;
  private bucket?: TokenBucket;
  private throttleLeft = 0;

  constructor(opts: CloudWatchEmulatorOptions = {}) {
    super();
    const creds = opts.credentials ?? [CLOUDWATCH_EMULATOR_CREDENTIALS];
    for (const c of creds) this.keys.set(c.accessKeyId, c);
    this.defaultAccount = (creds[0] ?? CLOUDWATCH_EMULATOR_CREDENTIALS).account;
    this.pageLimit = opts.pageLimit ?? Number.MAX_SAFE_INTEGER;
    this.server = new EmulatorServer({
      name: 'cloudwatch',
      routes: [{ method: 'POST', path: '/', handler: (req) => this.handle(req) }],
      authenticate: (req) => this.authenticate(req),
      errorBody,
    });
  }




  /** Endpoint X variant Y had `count` invocations on `day` (YYYY-MM-DD, UTC). */
  addInvocations(at: Where & { endpoint: string; variant: string; day: string; count: number }): void {
    this.add(at, [{ Name: 'EndpointName', Value: at.endpoint }, { Name: 'VariantName', Value: at.variant }], at.day, at.count);
  }

  /** Inference component X had `count` invocations on `day`. */
  addComponentInvocations(at: Where & { component: string; day: string; count: number }): void {
    this.add(at, [{ Name: 'InferenceComponentName', Value: at.component }], at.day, at.count);
  }

  /** Makes GetMetricData answer `status` for that variant's series (undefined: normal again). */
  setVariantStatus(at: Where & { endpoint: string; variant: string }, status: ForcedStatus | undefined): void {
    const dimensions = [{ Name: 'EndpointName', Value: at.endpoint }, { Name: 'VariantName', Value: at.variant }];
    this.store.force({ account: at.account ?? this.defaultAccount, region: at.region, namespace: SAGEMAKER, metric: INVOCATIONS, dimensions }, status);
  }

  /** The next `times` calls are throttled (400 Throttling, "Rate exceeded"), as a burst over the TPS quota is. */
  throttleNext(times: number): void {
    this.throttleLeft += times;
  }

  /** A sustained TPS quota (undefined: none). */
  setRateLimit(limit: RateLimit | undefined): void {
    this.bucket = limit ? new TokenBucket(limit) : undefined;
  }

  /** Every call in `region` is refused, as an SCP that denies the region does. */
  denyRegion(region: string): void {
    this.deniedRegions.add(region);
  }

  private add(at: Where, dimensions: DimensionValue[], day: string, value: number): void {
    this.store.add({ account: at.account ?? this.defaultAccount, region: at.region, namespace: SAGEMAKER, metric: INVOCATIONS, dimensions }, day, value);
  }

  private authenticate(req: EmuRequest): EmuResponse | undefined {
    const check = checkSigV4(req, 'monitoring', (id) => this.keys.get(id)?.secretAccessKey);
    if (check.ok) return undefined;
    return fault(check.code === 'IncompleteSignature' ? 400 : 403, check.code, check.message, queryMode(req));
  }

  private handle(req: EmuRequest): EmuResponse {
    const scope = parseSigV4(req.headers.authorization);
    const account = scope ? this.keys.get(scope.accessKeyId)?.account : undefined;
    if (!scope || !account) throw new Error('authenticate() lets only signed requests through');
    const caller = { account, region: scope.region };
    const call: MetricDataCall = { ...caller, queries: 0, continued: false, status: 200 };
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!String(req.headers['content-type'] ?? '').startsWith(CONTENT_TYPE) || !target.startsWith(TARGET_PREFIX)) {
        throw new AwsFault('UnknownOperation', `The emulator speaks AWS JSON 1.0 (Content-Type ${CONTENT_TYPE}, X-Amz-Target ${TARGET_PREFIX}<Operation>).`);
      }
      if (target !== `${TARGET_PREFIX}GetMetricData`) throw new AwsFault('UnknownOperation', `The emulator implements GetMetricData only, not ${target.slice(TARGET_PREFIX.length)}.`);
      const body = req.body as { MetricDataQueries?: unknown[]; NextToken?: unknown } | undefined;
      call.queries = Array.isArray(body?.MetricDataQueries) ? body.MetricDataQueries.length : 0;
      call.continued = body?.NextToken !== undefined;
      if (this.throttleLeft > 0 || (this.bucket && this.bucket.take() > 0)) {
        this.throttleLeft = Math.max(0, this.throttleLeft - 1);
        throw new AwsFault('Throttling', 'Rate exceeded');
      }
      if (this.deniedRegions.has(caller.region)) {
        throw new AwsFault('AccessDenied', `User: arn:aws:iam::${account}:user/masync is not authorized to perform: cloudwatch:GetMetricData with an explicit deny in a service control policy`, 403);
      }
      return ok(getMetricData(this.store, caller, req.body, this.pageLimit));
    } catch (err) {
      if (!(err instanceof AwsFault)) throw err;
      call.status = err.status;
      return fault(err.status, err.code, err.message, queryMode(req));
    } finally {
      this.calls.push(call);
    }
  }
}

function queryMode(req: EmuRequest): boolean {
  return req.headers['x-amzn-query-mode'] === 'true';
}

import { EmulatorServer, HostedEmulator, TokenBucket, type EmuRequest, type EmuResponse, type RateLimit } from '../../emulator-kit';
import type { EmulatorCredentials } from '../cloudwatch/emulator';
import { AwsFault, checkSigV4, parseSigV4 } from '../../aws-kit/emulator';
import { getCostAndUsage } from './emulator/get-cost-and-usage';
import { listCostAllocationTags } from './emulator/list-cost-allocation-tags';
import { CostStore } from './emulator/store';
import { CONTENT_TYPE, TARGET_PREFIX, errorBody, fault, ok } from './emulator/wire';

/** The emulator's default key pair; it guards nothing real. */
export const COST_EXPLORER_EMULATOR_CREDENTIALS: EmulatorCredentials = {
  accessKeyId: 'AKIAMASYNCEMULATOR02',
  secretAccessKey: 'emulator-secret-cost-explorer-3b9e',
  account: '123456789012',
};

export interface CostExplorerEmulatorOptions {
  /** Key pairs it accepts; the first one's account is the default for seeding. */
  credentials?: EmulatorCredentials[];
  /** "Now" for the emulator: what today is, and which month is still open. */
  clock?: () => Date;
  /** Groups per page (real pages are larger; small ones make tests page). */
  pageSize?: number;
}

/** One GetCostAndUsage call as the emulator saw it. */
export interface CostCall {
  account: string;
  start?: string;
  end?: string;
  /** It continued an earlier call with a NextPageToken. */
  continued: boolean;
  status: number;
}

export const SAGEMAKER_SERVICE = 'Amazon SageMaker';

/**
 * A local Cost Explorer (ce.us-east-1) for GetCostAndUsage and
 * ListCostAllocationTags over AWS JSON 1.1, SigV4-signed for us-east-1. Days
 * of the open month (and any day on or after `finalBefore`) are `Estimated`.
 */
export class CostExplorerEmulator extends HostedEmulator {
  /** The shared emulator plumbing: `requests`, `faults`, `onRequest`. */
  override readonly server: EmulatorServer;
  readonly calls: CostCall[] = [];
  private readonly store = new CostStore();
  private readonly keys = new Map<string, EmulatorCredentials>();
  private readonly clock: () => Date;
  private readonly pageSize: number;
  private readonly defaultAccount: string;
  private finalBefore?: string;
  private bucket?: TokenBucket;
  private throttleLeft = 0;

  constructor(opts: CostExplorerEmulatorOptions = {}) {
    super();
    const creds = opts.credentials ?? [COST_EXPLORER_EMULATOR_CREDENTIALS];
    for (const c of creds) this.keys.set(c.accessKeyId, c);
    this.defaultAccount = (creds[0] ?? COST_EXPLORER_EMULATOR_CREDENTIALS).account;
    this.clock = opts.clock ?? (() => new Date());
    this.pageSize = opts.pageSize ?? 50;
    this.server = new EmulatorServer({
      name: 'cost-explorer',
      routes: [{ method: 'POST', path: '/', handler: (req) => this.handle(req) }],
      authenticate: (req) => this.authenticate(req),
      errorBody,
    });
  }




  /** SageMaker (unless `service` says otherwise) cost of `amount` US$ on `day`, on a resource with `tags`. */
  addCost(c: { day: string; amount: number; tags?: Record<string, string>; account?: string; region?: string; service?: string }): void {
    this.store.add(c.day, { account: c.account ?? this.defaultAccount, region: c.region ?? 'us-east-1', service: c.service ?? SAGEMAKER_SERVICE, tags: c.tags ?? {}, amount: c.amount, unit: 'USD' });
  }

  /** Activates a cost-allocation tag key; before that, Billing shows its cost as untagged. */
  activateTag(tagKey: string, day = this.today()): void {
    this.store.activate(tagKey, day);
  }

  /** `member` joins the organization `management` pays for. */
  joinOrganization(member: string, management: string): void {
    this.store.join(member, management);
  }

  /** Days before `day` are final, the rest `Estimated` (default: the first day of the current month). */
  setFinalBefore(day: string | undefined): void {
    this.finalBefore = day;
  }

  /** The next `times` calls are throttled (400 LimitExceededException). */
  throttleNext(times: number): void {
    this.throttleLeft += times;
  }

  setRateLimit(limit: RateLimit | undefined): void {
    this.bucket = limit ? new TokenBucket(limit) : undefined;
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }

  private authenticate(req: EmuRequest): EmuResponse | undefined {
    const check = checkSigV4(req, 'ce', (id) => this.keys.get(id)?.secretAccessKey);
    if (!check.ok) return fault(check.code === 'IncompleteSignature' ? 400 : 403, check.code, check.message);
    if (check.scope.region !== 'us-east-1') return fault(403, 'InvalidSignatureException', 'Credential should be scoped to a valid region.');
    return undefined;
  }

  private handle(req: EmuRequest): EmuResponse {
    const scope = parseSigV4(req.headers.authorization);
    const account = scope ? this.keys.get(scope.accessKeyId)?.account : undefined;
    if (!account) throw new Error('authenticate() lets only signed requests through');
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = req.body as { TimePeriod?: { Start?: string; End?: string }; NextPageToken?: unknown } | undefined;
    const call: CostCall | undefined =
      target === `${TARGET_PREFIX}GetCostAndUsage` ? { account, start: body?.TimePeriod?.Start, end: body?.TimePeriod?.End, continued: body?.NextPageToken !== undefined, status: 200 } : undefined;
    try {
      if (!String(req.headers['content-type'] ?? '').startsWith(CONTENT_TYPE)) throw new AwsFault('UnknownOperationException', `Expected Content-Type ${CONTENT_TYPE}.`);
      if (this.throttleLeft > 0 || (this.bucket && this.bucket.take() > 0)) {
        this.throttleLeft = Math.max(0, this.throttleLeft - 1);
        throw new AwsFault('LimitExceededException', 'Rate exceeded');
      }
      const today = this.today();
      const finalBefore = this.finalBefore ?? `${today.slice(0, 8)}01`;
      if (call) return ok(getCostAndUsage(this.store, { account }, req.body, { today, finalBefore }, this.pageSize));
      if (target === `${TARGET_PREFIX}ListCostAllocationTags`) return ok(listCostAllocationTags(this.store, req.body));
      throw new AwsFault('UnknownOperationException', `The emulator implements GetCostAndUsage and ListCostAllocationTags, not ${target}.`);
    } catch (err) {
      if (!(err instanceof AwsFault)) throw err;
      if (call) call.status = err.status;
      return fault(err.status, err.code, err.message);
    } finally {
      if (call) this.calls.push(call);
    }
  }
}

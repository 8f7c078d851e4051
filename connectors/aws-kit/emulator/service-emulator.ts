import { randomUUID } from 'node:crypto';
import { EmulatorServer, HostedEmulator, FaultQueue, TokenBucket, type EmuRequest, type EmuResponse, type Fault, type RateLimit } from '../../emulator-kit';
import { AwsFault, type AwsIdentities, type AwsPrincipal } from './identities';
import { handleSts, queryError } from './sts';

/** One operation call, authenticated: whose account and which region it reads. */
export interface AwsOperationCall {
  operation: string;
  input: Record<string, unknown>;
  account: string;
  region: string;
  principal: AwsPrincipal;
}

/** A JSON-protocol AWS service as an emulator serves it. */
export interface AwsServiceDefinition {
  /** Emulator name, in kit errors. */
  name: string;
  /** SigV4 service name in the credential scope, e.g. `sagemaker`, `monitoring`, `ce`. */
  signingName: string;
  /** IAM action prefix, e.g. `sagemaker`. */
  actionPrefix: string;
  /** `X-Amz-Target` prefix, e.g. `SageMaker`. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** Operation name → handler; a handler returns the output object or throws an AwsFault. */
  operations: Record<string, (call: AwsOperationCall) => unknown>;
}

/** One request as the emulator saw it, for tests and the benchmark to count. */
export interface AwsCallRecord {
  operation: string;
  /** `<account>/<region>`; undefined when authentication failed. */
  scope?: string;
  status: number;
}

export interface AwsServiceEmulatorOptions {
  service: AwsServiceDefinition;
  identities: AwsIdentities;
  /** Delay in front of every answer, as a remote API adds (the benchmark's `--latency`). */
  latencyMs?: number;
}

/**
 * The front every AWS emulator shares: `POST /` with the operation in
 * `X-Amz-Target`, SigV4 authentication against the shared identities, IAM
 * denials, per-operation faults, AWS-shaped throttling per account and region,
 * and STS (AssumeRole over awsQuery) at the same URL, since one configured
 * endpoint serves every AWS call of a connector.
 */
export class AwsServiceEmulator extends HostedEmulator {
  override readonly server: EmulatorServer;
  /** Faults by operation: `faults.inject({ path: 'ListEndpoints', status: 400, body: … })`. The kit's `server.faults` hit any call. */
  readonly faults = new FaultQueue();
  readonly calls: AwsCallRecord[] = [];
  private limit?: RateLimit;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly contentType: string;

  constructor(private readonly opts: AwsServiceEmulatorOptions) {
    super();
    this.contentType = `application/x-amz-json-${opts.service.jsonVersion}`;
    this.server = new EmulatorServer({
      name: opts.service.name,
      routes: [{ method: 'POST', path: '/', handler: (req) => this.handle(req) }],
      errorBody: (status, message) => ({ __type: status === 429 ? 'ThrottlingException' : status === 404 ? 'UnknownOperationException' : 'InternalFailure', message }),
    });
  }




  /** Calls of an operation so far, in one `<account>/<region>` scope or all. */
  count(operation: string, scope?: string): number {
    return this.calls.filter((c) => c.operation === operation && (scope === undefined || c.scope === scope)).length;
  }

  /** Throttle each account × region to this rate, as AWS does (400 ThrottlingException, no Retry-After); undefined lifts it. */
  setRateLimit(limit: RateLimit | undefined): void {
    this.limit = limit;
    this.buckets.clear();
  }

  /** The next `times` calls of an operation are throttled, as AWS answers it. */
  throttleNext(operation: string, times = 1): void {
    this.faults.inject({ path: operation, times, status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' }, contentType: this.contentType });
  }

  private async handle(req: EmuRequest): Promise<EmuResponse> {
    if (this.opts.latencyMs) await sleep(this.opts.latencyMs);
    const form = isForm(req) ? (req.body as Record<string, string> | undefined) ?? {} : undefined;
    const operation = form ? (form.Action ?? '') : this.operationOf(req);
    const record: AwsCallRecord = { operation, status: 0 };
    this.calls.push(record);
    const respond = (r: EmuResponse) => {
      record.status = r.status;
      return r;
    };
    const failed = (fault: AwsFault) => respond(form ? queryError(fault) : this.jsonError(fault));
    try {
      const caller = this.opts.identities.authenticate(req, form ? 'sts' : this.opts.service.signingName);
      record.scope = `${caller.principal.account}/${caller.region}`;
      const fault = this.faults.take('POST', operation);
      if (fault?.delayMs) await sleep(fault.delayMs);
      const replace = fault?.status !== undefined ? fault : undefined;
      if (replace && !replace.afterHandling) return respond(faultResponse(replace));
      this.throttle(record.scope);
      const answer = form ? handleSts(this.opts.identities, caller.principal, caller.region, form) : this.answer(req, operation, caller.principal, caller.region);
      // A fault after handling: the call took effect, then its answer was lost or mangled.
      return respond(replace ? faultResponse(replace) : answer);
    } catch (err) {
      if (err instanceof AwsFault) return failed(err);
      throw err;
    }
  }

  private operationOf(req: EmuRequest): string {
    const target = req.headers['x-amz-target'];
    const prefix = `${this.opts.service.targetPrefix}.`;
    if (typeof target !== 'string' || !target.startsWith(prefix)) return '';
    return target.slice(prefix.length);
  }

  private answer(req: EmuRequest, operation: string, principal: AwsPrincipal, region: string): EmuResponse {
    const handler = Object.hasOwn(this.opts.service.operations, operation) ? this.opts.service.operations[operation] : undefined;
    if (!handler) throw new AwsFault('UnknownOperationException', `Unknown operation ${String(req.headers['x-amz-target'] ?? '(no X-Amz-Target)')}`);
    const input = req.body === undefined ? {} : req.body;
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AwsFault('SerializationException', 'Start of structure or map found where not expected, or the body is not JSON.');
    this.opts.identities.authorize(principal, `${this.opts.service.actionPrefix}:${operation}`, region);
    const output = handler({ operation, input: input as Record<string, unknown>, account: principal.account, region, principal });
    return { status: 200, body: output ?? {}, contentType: this.contentType, headers: { 'x-amzn-RequestId': randomUUID() } };
  }

  private throttle(scope: string): void {
    if (!this.limit) return;
    let bucket = this.buckets.get(scope);
    if (!bucket) this.buckets.set(scope, (bucket = new TokenBucket(this.limit)));
    if (bucket.take() > 0) throw new AwsFault('ThrottlingException', 'Rate exceeded');
  }

  private jsonError(fault: AwsFault): EmuResponse {
    return { status: fault.status, body: { __type: fault.code, message: fault.message }, contentType: this.contentType, headers: { 'x-amzn-RequestId': randomUUID() } };
  }
}

function isForm(req: EmuRequest): boolean {
  return String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function faultResponse(fault: Fault): EmuResponse {
  return { status: fault.status ?? 500, body: fault.body, raw: fault.raw, contentType: fault.contentType, headers: fault.headers };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

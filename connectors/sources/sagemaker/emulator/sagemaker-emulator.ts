import { AwsIdentities, AwsServiceEmulator, type AwsCallRecord, type AwsOperationCall } from '../../../aws-kit/emulator';
import type { EmulatorServer, FaultQueue, RateLimit } from '../../../emulator-kit';
import { componentOperations } from './component-ops';
import { endpointOperations } from './endpoint-ops';
import { registryOperations } from './registry-ops';
import { ScopeStore } from './store';
import { tagOperations } from './tag-ops';

export interface SageMakerEmulatorOptions {
  /** Who may call, shared with the other AWS emulators of a test or sandbox; a new, empty one otherwise. */
  identities?: AwsIdentities;
  /** Milliseconds since the epoch for every time the store writes; inject one for stable fixtures. */
  clock?: () => number;
  /** Delay in front of every answer (the benchmark's `--latency`). */
  latencyMs?: number;
}

/**
 * A local SageMaker (awsJson1_1 on 127.0.0.1): the model registry, hosting
 * (endpoints, endpoint configs, models, inference components) and tags, one
 * store per account × region. The account is the signer's (base credentials
 * or an assumed role), the region the one in the SigV4 credential scope. STS
 * AssumeRole answers at the same URL.
 */
export class SageMakerEmulator {
  readonly identities: AwsIdentities;
  private readonly service: AwsServiceEmulator;
  private readonly scopes = new Map<string, ScopeStore>();
  private readonly clock: () => number;

  constructor(opts: SageMakerEmulatorOptions = {}) {
    this.identities = opts.identities ?? new AwsIdentities();
    this.clock = opts.clock ?? Date.now;
    const scoped = (call: AwsOperationCall) => this.scope(call.account, call.region);
    this.service = new AwsServiceEmulator({
      identities: this.identities,
      latencyMs: opts.latencyMs,
      service: {
        name: 'sagemaker',
        signingName: 'sagemaker',
        actionPrefix: 'sagemaker',
        targetPrefix: 'SageMaker',
        jsonVersion: '1.1',
        operations: { ...registryOperations(scoped), ...endpointOperations(scoped), ...componentOperations(scoped), ...tagOperations(scoped) },
      },
    });
  }

  start(port?: number): Promise<string> {
    return this.service.start(port);
  }

  stop(): Promise<void> {
    return this.service.stop();
  }

  get url(): string {
    return this.service.url;
  }

  /** The kit's server: its request log and faults that hit whatever call comes next. */
  get server(): EmulatorServer {
    return this.service.server;
  }

  /** Faults by operation name: `faults.inject({ path: 'DescribeEndpoint', status: 400, body: … })`. */
  get faults(): FaultQueue {
    return this.service.faults;
  }

  /** The data of one account in one region, to seed and change; created empty on first use. */
  scope(account: string, region: string): ScopeStore {
    const id = `${account}/${region}`;
    let store = this.scopes.get(id);
    if (!store) this.scopes.set(id, (store = new ScopeStore(account, region, this.clock)));
    return store;
  }

  /** Every call so far, in order: its operation, scope and status. */
  get calls(): readonly AwsCallRecord[] {
    return this.service.calls;
  }

  /** Calls of an operation (STS's `AssumeRole` included) so far, in one `<account>/<region>` or all. */
  count(operation: string, scope?: string): number {
    return this.service.count(operation, scope);
  }

  throttleNext(operation: string, times = 1): void {
    this.service.throttleNext(operation, times);
  }

  /** Rate-limit each account × region; throttled calls get 400 ThrottlingException. */
  setRateLimit(limit: RateLimit | undefined): void {
    this.service.setRateLimit(limit);
  }
}

import { PerRun, RunMemo } from '../../../src/engine/run-memo';
import type { SinkRelation } from '../../../src/engine/types';
import type { ReadClock } from './read-cursor';

/** A read of records whose relations were read alongside, waiting for `readRelations` to hand them over. */
export interface PendingRead {
  since: string | undefined;
  clock: ReadClock;
  relations: Promise<SinkRelation[]>;
}

/**
 * What a ServiceNow sink learns during one run, beyond what every connector's
 * RunMemo holds (the catalog read once, warnings given): owner and cost
 * center lookups, whether the instance refused the Batch API, and the read
 * in progress.
 */
export class RunCache extends RunMemo {
  readonly lookups = new Map<string, string | null>();
  /** The instance refused the Batch API in this run: the rest of the run writes through the Table API. */
  tableApiOnly = false;
  /** Where the last run's complete read began (instance clock), as this run first found it. */
  priorReadStart?: { at: string | undefined };
  /** Relations read alongside the records; any write drops them, since they may no longer be true. */
  read?: PendingRead;
}

export class RunCaches extends PerRun<RunCache> {
  constructor() {
    super(() => new RunCache());
  }
}

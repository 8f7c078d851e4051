import { PerRun, RunMemo } from '../../../src/engine/run-memo';
import type { SinkRelation } from '../../../src/engine/types';
import type { OwnWrites } from './own-writes';
import type { ReadClock, ReadWindow, StoredCursor } from './read-cursor';

/** A read of records whose relations were read alongside, waiting for `readRelations` to hand them over. */
export interface PendingRead {
  window: ReadWindow | undefined;
  clock: ReadClock;
  relations: Promise<SinkRelation[]>;
}

/**
 * What a ServiceNow sink learns during one run, beyond what every connector's
 * RunMemo holds (the catalog read once, warnings given): owner and cost
 * center lookups, whether the instance refused the Batch API, the read
 * in progress and the writes so far.
 */
export class RunCache extends RunMemo {
  readonly lookups = new Map<string, string | null>();
  /** The instance refused the Batch API in this run: the rest of the run writes through the Table API. */
  tableApiOnly = false;
  /** The read cursor the last runs left, as this run first found it. */
  priorCursor?: { stored: StoredCursor | undefined };
  /** A read that skipped masync's own writes got rows without sys_updated_by: the name cannot be trusted to filter on. */
  writerUnseen = false;
  /** This run's write answers: when they ended, and who the instance says wrote. */
  own?: OwnWrites;
  /** Relations read alongside the records; any write drops them, since they may no longer be true. */
  read?: PendingRead;
}

export class RunCaches extends PerRun<RunCache> {
  constructor() {
    super(() => new RunCache());
  }
}

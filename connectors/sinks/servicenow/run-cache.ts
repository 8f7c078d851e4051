import { PerRun, RunMemo } from '../../../src/engine/run-memo';

/**
 * What a ServiceNow sink learns during one run, beyond what every connector's
 * RunMemo holds (the catalog read once, warnings given): owner and cost
 * center lookups, and whether the instance refused the Batch API.
 */
export class RunCache extends RunMemo {
  readonly lookups = new Map<string, string | null>();
  /** The instance refused the Batch API in this run: the rest of the run writes through the Table API. */
  tableApiOnly = false;
}

export class RunCaches extends PerRun<RunCache> {
  constructor() {
    super(() => new RunCache());
  }
}

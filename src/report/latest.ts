import type { Clock } from '../engine/types';
import { describeError } from '../errors';
import type { Logger } from '../log/logger';
import type { Db } from '../state/db';
import { KeyIds } from '../state/keys';
import { gatherReport } from './gather';
import { renderHtml } from './html';

/**
 * The daemon's report page, remade from the state file after each run. A
 * remake that fails is logged and the previous page kept: the page says
 * when it was made, so it never passes for fresher than it is.
 */
export class LatestReport {
  private page: string | undefined;

  constructor(private readonly opts: { db: Db; clock: Clock; logger: Logger; productionAliases?: readonly string[] }) {}

  refresh(): void {
    try {
      const { db, clock, productionAliases } = this.opts;
      this.page = renderHtml(gatherReport(db, new KeyIds(db), { now: clock.now(), productionAliases }));
    } catch (err) {
      this.opts.logger.error(`the report at / could not be remade from the state file: ${describeError(err)}`);
    }
  }

  html(): string | undefined {
    return this.page;
  }
}

import { gzipSync } from 'node:zlib';
import type { Clock } from '../engine/types';
import { describeError } from '../errors';
import type { Logger } from '../log/logger';
import type { Db } from '../state/db';
import { KeyIds } from '../state/keys';
import { gatherReport } from './gather';
import { renderHtml } from './html';

/** The report page, and the same bytes gzipped once (a 10,000-version page is megabytes; gzipped, a few hundred KiB). */
export interface ReportPage {
  html: string;
  gzip: Buffer;
}

/**
 * The daemon's report page, remade from the state file after each run. A
 * remake that fails is logged and the previous page kept: the page says
 * when it was made, so it never passes for fresher than it is.
 */
export class LatestReport {
  private page: ReportPage | undefined;

  constructor(private readonly opts: { db: Db; clock: Clock; logger: Logger; productionAliases?: readonly string[] }) {}

  refresh(): void {
    try {
      const { db, clock, productionAliases } = this.opts;
      const html = renderHtml(gatherReport(db, new KeyIds(db), { now: clock.now(), productionAliases }));
      this.page = { html, gzip: gzipSync(html) };
    } catch (err) {
      this.opts.logger.error(`the report at / could not be remade from the state file: ${describeError(err)}`);
    }
  }

  current(): ReportPage | undefined {
    return this.page;
  }
}

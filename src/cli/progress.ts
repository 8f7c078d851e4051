import { MultiBar, type GenericFormatter } from 'cli-progress';
import { silentProgress, type Progress } from '../engine/types';
import type { Logger } from '../log/logger';

/** Where a run's progress goes: one row per connector on a terminal, periodic JSON lines in the log otherwise. */
export interface ProgressBoard {
  progressFor(connector: string): Progress;
  /** Print a log line above the rows (so rows never swallow it); absent where there are no rows. */
  log?(line: string): void;
  stop(): void;
}

interface Row {
  phase: string;
  done: number;
  total?: number;
  startedAt: number;
}

const format: GenericFormatter = (_options, params, payload: { connector: string; phase: string; total?: number; rate: string }) =>
  `${payload.connector.padEnd(18)} ${payload.phase.padEnd(26)} ${String(params.value).padStart(7)}${payload.total ? ` / ${payload.total}` : ''}  ${payload.rate}`;

/** Per-connector rows that redraw in place; log lines are printed above them. */
export function terminalBoard(stream: NodeJS.WritableStream): ProgressBoard {
  const bars = new MultiBar({ stream, format, hideCursor: true, clearOnComplete: true, fps: 8, autopadding: true });
  return {
    progressFor(connector) {
      let bar: ReturnType<MultiBar['create']> | undefined;
      const row: Row = { phase: '', done: 0, startedAt: Date.now() };
      const payload = () => ({ connector, phase: row.phase, total: row.total, rate: rate(row) });
      return {
        start(phase, total) {
          Object.assign(row, { phase, total, done: 0, startedAt: Date.now() });
          if (bar) bar.update(0, payload());
          else bar = bars.create(total ?? 0, 0, payload());
          bar.setTotal(total ?? 0);
        },
        tick(n = 1) {
          row.done += n;
          bar?.update(row.done, payload());
        },
        done() {
          bar?.update(row.done, { ...payload(), phase: `${row.phase} ✓` });
        },
      };
    },
    log(line) {
      bars.log(line.endsWith('\n') ? line : `${line}\n`);
    },
    stop() {
      bars.stop();
    },
  };
}

/**
 * Off a terminal: a JSON progress line per busy connector every `everyMs`,
 * and one as each phase ends (so a run shorter than that still shows what each connector did),
 * through the run's logger.
 */
export function logBoard(logger: () => Logger, everyMs = 10_000): ProgressBoard {
  const rows = new Map<string, Row>();
  const report = (connector: string, row: Row, finished: boolean) =>
    logger()
      .child({ connector })
      .info(`progress ${connector}: ${row.phase}${finished ? ' done:' : ''} ${row.done}${row.total ? `/${row.total}` : ''}`, {
        progress: { connector, phase: row.phase, done: row.done, total: row.total, ratePerSec: perSec(row), finished },
      });
  const timer = setInterval(() => {
    for (const [connector, row] of rows) if (row.phase !== '') report(connector, row, false);
  }, everyMs);
  timer.unref();
  return {
    progressFor(connector) {
      const row: Row = { phase: '', done: 0, startedAt: Date.now() };
      rows.set(connector, row);
      return {
        start: (phase, total) => void Object.assign(row, { phase, total, done: 0, startedAt: Date.now() }),
        tick: (n = 1) => void (row.done += n),
        done: () => {
          if (row.phase !== '') report(connector, row, true);
          row.phase = '';
        },
      };
    },
    stop: () => clearInterval(timer),
  };
}

export const silentBoard: ProgressBoard = { progressFor: () => silentProgress, stop: () => undefined };

function perSec(row: Row): number {
  const secs = (Date.now() - row.startedAt) / 1000;
  return secs > 0 ? Math.round(row.done / secs) : 0;
}

function rate(row: Row): string {
  return row.done > 0 ? `${perSec(row)}/s` : '';
}

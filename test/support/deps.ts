import { createHttpClient } from '../../src/http';
import { Redactor } from '../../src/http/redact';
import type { ConnectorDeps } from '../../src/engine/connector';
import type { Clock, SourceContext } from '../../src/engine/types';
import { standaloneContext, strictSourceContext } from '../../src/engine/types';
import type { Logger } from '../../src/log/logger';

/** A logger that keeps every line (redacted, as the real one is) so tests can read them. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  constructor(private readonly redactor: Redactor) {}
  /** Children share the parent's lines, so a test reads one log whoever wrote it. */
  child(): Logger {
    return this;
  }
  debug(m: string, meta?: Record<string, unknown>) { this.push('debug', m, meta); }
  info(m: string, meta?: Record<string, unknown>) { this.push('info', m, meta); }
  warn(m: string, meta?: Record<string, unknown>) { this.push('warn', m, meta); }
  error(m: string, meta?: Record<string, unknown>) { this.push('error', m, meta); }
  private push(level: string, m: string, meta?: Record<string, unknown>) {
    this.lines.push(this.redactor.redact(`${level} ${m}${meta ? ' ' + JSON.stringify(meta) : ''}`));
  }
}

export const fixedClock = (iso = '2026-11-23T12:00:00.000Z'): Clock => ({ now: () => new Date(iso) });

export interface TestDeps extends ConnectorDeps {
  logger: MemoryLogger;
}

/** Real HTTP layer, fast retries (tests must not sleep for long), memory logger. */
export function testDeps(overrides: { clock?: Clock; retries?: number } = {}): TestDeps {
  const redactor = new Redactor();
  const logger = new MemoryLogger(redactor);
  return {
    logger,
    redactor,
    clock: overrides.clock ?? fixedClock(),
    http: (opts) =>
      createHttpClient({
        ...opts,
        retry: { baseDelayMs: 5, maxDelayMs: 20, ...(overrides.retries !== undefined ? { retries: overrides.retries } : {}), ...opts.retry },
        logger,
        redactor,
      }),
  };
}

/** A context for one connector call: nothing cached, and any skipped record or failed scope throws. */
export function testCtx(deps: TestDeps): SourceContext {
  return strictSourceContext(standaloneContext(deps.logger, deps.clock));
}

/** Drain an async iterable into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

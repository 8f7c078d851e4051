/**
 * Random misbehaviour, repeatable with a seed: for the same seed and the
 * same sequence of matching requests, every request meets the same fate.
 */
export interface ChaosOptions {
  seed: number;
  /** Share of requests refused before they are handled (nothing happened), answered with one of `statuses`. */
  errorRate?: number;
  /** Statuses of refused requests and lost answers; 500, 502, 503 and 504 by default. */
  statuses?: number[];
  /** Share of requests that are handled (a write happens) and whose answer is then lost: one of `statuses`, or a dropped connection. */
  lostAnswerRate?: number;
  /** Share of requests handled only `delayMs` after they arrived, answered after that: a client that gives up sooner misses a write that lands later. */
  lateCommit?: { rate: number; delayMs: number };
  /** After every `every` requests, the next `length` answer 429 with this Retry-After. Counts only requests from the network. */
  burst429?: { every: number; length: number; retryAfterSec: number };
  /** Only requests with these methods; all when absent. */
  methods?: string[];
  /** Only requests on this path (exact, or a pattern it matches, as for faults); all when absent. */
  path?: string | RegExp;
}

export type ChaosFate =
  | { kind: 'pass' }
  | { kind: 'refuse'; status: number }
  | { kind: 'throttle'; retryAfterSec: number }
  | { kind: 'lose'; status: number | 'drop' }
  | { kind: 'late'; delayMs: number };

const PASS: ChaosFate = { kind: 'pass' };
const DEFAULT_STATUSES = [500, 502, 503, 504];

export class Chaos {
  private readonly random: () => number;
  private readonly statuses: number[];
  private seen = 0;

  constructor(private readonly opts: ChaosOptions) {
    const rates = [opts.errorRate ?? 0, opts.lostAnswerRate ?? 0, opts.lateCommit?.rate ?? 0];
    if (rates.some((r) => r < 0 || r > 1) || rates.reduce((a, b) => a + b, 0) > 1) {
      throw new RangeError('chaos: errorRate, lostAnswerRate and lateCommit.rate are shares between 0 and 1 that add up to at most 1');
    }
    if (opts.burst429 && (opts.burst429.every < 1 || opts.burst429.length < 1)) throw new RangeError('chaos: burst429.every and .length must be at least 1');
    this.statuses = opts.statuses?.length ? opts.statuses : DEFAULT_STATUSES;
    this.random = mulberry32(opts.seed);
  }

  /** The fate of one request. `fromNetwork` is false for requests carried inside another (a batch's sub-requests). */
  decide(method: string, path: string, fromNetwork: boolean): ChaosFate {
    if (!this.applies(method, path)) return PASS;
    const burst = this.opts.burst429;
    if (burst && fromNetwork) {
      const at = this.seen++ % (burst.every + burst.length);
      if (at >= burst.every) return { kind: 'throttle', retryAfterSec: burst.retryAfterSec };
    }
    // Two draws for every request, whatever its fate, so one fate never shifts the ones after it.
    const roll = this.random();
    const pick = this.random();
    let edge = this.opts.errorRate ?? 0;
    if (roll < edge) return { kind: 'refuse', status: this.status(pick) };
    edge += this.opts.lostAnswerRate ?? 0;
    if (roll < edge) return { kind: 'lose', status: pick < 0.5 ? 'drop' : this.status(pick * 2 - 1) };
    edge += this.opts.lateCommit?.rate ?? 0;
    if (this.opts.lateCommit && roll < edge) return { kind: 'late', delayMs: this.opts.lateCommit.delayMs };
    return PASS;
  }

  private applies(method: string, path: string): boolean {
    if (this.opts.methods && !this.opts.methods.includes(method)) return false;
    const p = this.opts.path;
    if (p === undefined) return true;
    return typeof p === 'string' ? p === path : p.test(path);
  }

  private status(u: number): number {
    return this.statuses[Math.min(this.statuses.length - 1, Math.floor(u * this.statuses.length))] as number;
  }
}

/** A small, fast PRNG with a 32-bit state: enough for spreading faults, and the same on every platform. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

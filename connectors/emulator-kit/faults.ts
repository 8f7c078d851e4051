/**
 * Scripted misbehaviour for tests: "the next 2 GETs of /x answer 503",
 * "drop the connection", "answer this malformed body".
 */
export interface Fault {
  method?: string;
  /** Exact path or pattern; any path when absent. */
  path?: string | RegExp;
  /** How many matching requests it hits; 1 by default. */
  times?: number;
  status?: number;
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Close the socket without answering. */
  destroy?: boolean;
  /** Let the request take effect, then replace (or drop) the answer. */
  afterHandling?: boolean;
}

export class FaultQueue {
  private readonly queue: Array<Fault & { left: number }> = [];

  inject(fault: Fault): void {
    this.queue.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The first fault matching this request, consuming one of its uses. */
  take(method: string, path: string): Fault | undefined {
    const i = this.queue.findIndex((f) => matches(f, method, path));
    if (i < 0) return undefined;
    const fault = this.queue[i] as Fault & { left: number };
    fault.left -= 1;
    if (fault.left <= 0) this.queue.splice(i, 1);
    return fault;
  }
}

function matches(f: Fault, method: string, path: string): boolean {
  if (f.method && f.method !== method) return false;
  if (f.path === undefined) return true;
  return typeof f.path === 'string' ? f.path === path : f.path.test(path);
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The parsed body; undefined when there was none, or when the log keeps no bodies. */
  body: unknown;
  /** Absent while the request is being handled; 0 when the connection was dropped instead of answered. */
  status?: number;
  /** For a request carried inside another (a batch's sub-request): the path of the one that carried it. */
  via?: string;
}

interface Node {
  /** Requests on this path or below it. */
  total: number;
  /** Requests on exactly this path. */
  own: number;
  children: Map<string, Node>;
}

const node = (): Node => ({ total: 0, own: 0, children: new Map() });

/**
 * Every request the emulator received, and counts per method and path that
 * answer `count` without scanning the requests: paths are kept as a tree of
 * their segments, so even 100,000 PATCHes to distinct records cost one
 * lookup per segment to count.
 */
export class RequestLog {
  readonly entries: RecordedRequest[] = [];
  /** Keep request bodies; a long benchmark turns this off to keep memory flat. */
  bodies = true;
  private readonly byMethod = new Map<string, Node>();

  clear(): void {
    this.entries.length = 0;
    this.byMethod.clear();
  }

  /** Record a request as it arrives; returns the entry, whose `status` the caller sets when it is answered. */
  add(entry: RecordedRequest): RecordedRequest {
    const kept = this.bodies ? entry : { ...entry, body: undefined };
    this.entries.push(kept);
    let at: Node | undefined = this.byMethod.get(entry.method);
    if (!at) this.byMethod.set(entry.method, (at = node()));
    at.total++;
    for (const segment of entry.path.split('/')) {
      let next: Node | undefined = at.children.get(segment);
      if (!next) at.children.set(segment, (next = node()));
      next.total++;
      at = next;
    }
    at.own++;
    return kept;
  }

  /** Requests with this method whose path starts with `pathPrefix` (as `String.startsWith` reads it). */
  count(method: string, pathPrefix = ''): number {
    const segments = pathPrefix.split('/');
    // The last segment may be cut short: `/table/cmdb_ci` also counts `/table/cmdb_ci_appl`.
    const partial = segments.pop() as string;
    let at = this.byMethod.get(method);
    for (const s of segments) at = at?.children.get(s);
    if (!at) return 0;
    if (partial === '') return at.total - at.own;
    let n = 0;
    for (const [segment, child] of at.children) if (segment.startsWith(partial)) n += child.total;
    return n;
  }
}

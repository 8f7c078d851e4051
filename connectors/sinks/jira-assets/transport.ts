import type { ConnectorDeps } from '../../../src/engine/connector';
import type { RunContext } from '../../../src/engine/types';
import { ConnectorError } from '../../../src/errors';
import { basicAuth, bearerAuth, type HttpClient, type HttpRequest, type HttpResponse } from '../../../src/http';
import type { AssetsEndpoint, JiraAssetsConfig } from './config';
import { parseWire } from './parse';
import { assetsErrorMessage, workspaces } from './wire';


/**
 * The two hosts a sink talks to. Cloud: the site (workspace discovery, user
 * search) and the Assets gateway under /jsm/assets/workspace/{id}/v1, each
 * with its own connection pool and 429 pause, as Atlassian rate-limits them
 * apart. Data Center: one host, Assets under /rest/assets/1.0 (or
 * /rest/insight/1.0).
 */
export class AssetsTransport {
  readonly deployment: 'cloud' | 'datacenter';
  private readonly site: HttpClient;
  private readonly gateway: HttpClient;
  private workspace?: Promise<string>;
  private readonly rediscovered = new WeakSet<RunContext>();

  constructor(
    private readonly endpoint: AssetsEndpoint,
    private readonly connector: string,
    config: JiraAssetsConfig,
    deps: ConnectorDeps,
  ) {
    this.deployment = endpoint.deployment;
    const auth = endpoint.deployment === 'cloud' ? basicAuth(endpoint.email, endpoint.apiToken, deps.redactor) : bearerAuth(endpoint.token, deps.redactor);
    const options = {
      name: connector,
      auth,
      timeoutMs: config.http.timeoutMs,
      concurrency: config.http.concurrency,
      retry: { retries: config.http.retries, maxRetryAfterMs: config.http.maxRetryAfterSec * 1000 },
      errorMessage: assetsErrorMessage,
    };
    this.site = deps.http({ ...options, baseURL: endpoint.deployment === 'cloud' ? endpoint.site : endpoint.baseUrl });
    this.gateway = endpoint.deployment === 'cloud' ? deps.http({ ...options, baseURL: endpoint.apiBase }) : this.site;
  }

  /** Where the sink points, for messages: the site or the Jira base URL. */
  get where(): string {
    return this.endpoint.deployment === 'cloud' ? this.endpoint.site : this.endpoint.baseUrl;
  }

  /** One site, one workspace: the cache entry is the site's, so pointing the config elsewhere asks again. */
  private get cacheKey(): string {
    return `workspace ${this.where}`;
  }

  /** A call to the Assets REST API; `path` is relative to its base (`object/aql`). */
  async assets<T = unknown>(req: HttpRequest, ctx: RunContext): Promise<HttpResponse<T>> {
    const base = this.endpoint.deployment === 'cloud' ? `/jsm/assets/workspace/${encodeURIComponent(await this.workspaceId(ctx))}/v1` : this.endpoint.assetsPath;
    return this.gateway.request<T>({ ...req, path: `${base}/${req.path}`, signal: req.signal ?? ctx.signal });
  }

  /** A call to the Jira platform REST API on the site (`/rest/api/3/...`). */
  jira<T = unknown>(req: HttpRequest, ctx: RunContext): Promise<HttpResponse<T>> {
    return this.site.request<T>({ ...req, signal: req.signal ?? ctx.signal });
  }

  /** The Cloud workspace id: kept between runs, asked for again on a full read. */
  async workspaceId(ctx: RunContext): Promise<string> {
    if (ctx.full && !this.rediscovered.has(ctx)) {
      this.rediscovered.add(ctx);
      this.workspace = undefined;
    } else if (!this.workspace) {
      const cached = ctx.cache.get<string>(this.cacheKey);
      if (typeof cached === 'string' && cached !== '') this.workspace = Promise.resolve(cached);
    }
    if (!this.workspace) {
      const found = this.discover(ctx).then((id) => {
        ctx.cache.set(this.cacheKey, id);
        return id;
      });
      this.workspace = found;
      found.catch(() => {
        if (this.workspace === found) this.workspace = undefined;
      });
    }
    return this.workspace;
  }

  private async discover(ctx: RunContext): Promise<string> {
    const path = '/rest/servicedeskapi/assets/workspace';
    const res = await this.site.request<unknown>({ method: 'GET', path, signal: ctx.signal });
    const body = parseWire(workspaces, res.data, { connector: this.connector, what: `GET ${path}` });
    const first = body.values[0];
    if (!first) {
      throw new ConnectorError(
        `${this.connector}: ${this.where} has no Assets workspace; Assets comes with Jira Service Management Premium or Enterprise, and an admin must have opened Assets once`,
        { connector: this.connector, code: 'no-workspace' },
      );
    }
    return first.workspaceId;
  }
}

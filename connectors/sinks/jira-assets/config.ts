import { z } from 'zod';
import { connectorName, httpOptionsSchema, httpUrl } from '../../../src/config/common';

/** The most objects one AQL page returns (Cloud `maxResults`, Data Center `resultPerPage`). */
export const MAX_AQL_PAGE = 1000;

/**
 * One schema for both deployments (the config loader picks a connector by the
 * literal `type` on a plain object), with the keys each deployment needs
 * checked by refinement: Cloud signs in to the site with an email and an API
 * token, Data Center with a personal access token.
 */
export const jiraAssetsConfigSchema = z
  .strictObject({
    name: connectorName,
    type: z.literal('jira-assets'),
    deployment: z.enum(['cloud', 'datacenter']),
    /** Cloud: the site, e.g. https://acme.atlassian.net (workspace discovery and user search). */
    site: httpUrl.optional(),
    /** Cloud: the Assets gateway; only an emulator or a proxy needs another one. */
    apiBase: httpUrl.optional(),
    /** Cloud: the Atlassian account the API token belongs to. */
    email: z.string().min(3).optional(),
    /** Cloud: an API token from id.atlassian.com (sent with the email as Basic auth). */
    apiToken: z.string().min(1).optional(),
    /** Data Center: the Jira base URL, e.g. https://jira.example.com */
    baseUrl: httpUrl.optional(),
    /** Data Center: a personal access token (sent as Bearer). */
    token: z.string().min(1).optional(),
    /** Data Center: `assets` (/rest/assets/1.0, Assets 10+) or `insight` (/rest/insight/1.0, Insight 9 and older). */
    api: z.enum(['assets', 'insight']).default('assets'),
    /** Object schema masync writes into, by name or by key. */
    schema: z.string().min(1).max(255).default('ML Inventory'),
    /** Key `--apply-schema` gives the schema when it creates it (2-10 capitals and digits); derived from the name when absent. */
    schemaKey: z
      .string()
      .regex(/^[A-Z][A-Z0-9]{1,9}$/, '2 to 10 capital letters or digits, starting with a letter')
      .optional(),
    /** Value of the `Managed by` attribute on every object masync owns. */
    managedBy: z.string().min(1).max(255).default('masync'),
    mapping: z.string().min(1).optional(),
    /** Objects per AQL page; default the most Assets returns (a server that caps it lower is still read to the end). */
    pageSize: z.number().int().min(1).max(MAX_AQL_PAGE).default(MAX_AQL_PAGE),
    /**
     * Cloud has no usernames: an owner without "@" is looked up as `<owner>@<emailDomain>`
     * when this is set, and left unwritten (with a warning) when it is not.
     */
    emailDomain: z
      .string()
      .regex(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'a mail domain such as example.com')
      .optional(),
    http: httpOptionsSchema,
  })
  .superRefine((c, ctx) => {
    const want = c.deployment === 'cloud' ? (['site', 'email', 'apiToken'] as const) : (['baseUrl', 'token'] as const);
    const foreign = c.deployment === 'cloud' ? (['baseUrl', 'token'] as const) : (['site', 'apiBase', 'email', 'apiToken', 'emailDomain'] as const);
    for (const key of want) if (c[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `required for deployment: ${c.deployment}` });
    for (const key of foreign) if (c[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `only for deployment: ${c.deployment === 'cloud' ? 'datacenter' : 'cloud'}` });
  });

export type JiraAssetsConfig = z.infer<typeof jiraAssetsConfigSchema>;

/** Where and how to reach Assets, per deployment, once the config is known to be whole. */
export type AssetsEndpoint =
  | { deployment: 'cloud'; site: string; apiBase: string; email: string; apiToken: string }
  | { deployment: 'datacenter'; baseUrl: string; token: string; assetsPath: string };

export function endpointOf(c: JiraAssetsConfig): AssetsEndpoint {
  if (c.deployment === 'cloud') {
    return { deployment: 'cloud', site: c.site ?? '', apiBase: c.apiBase ?? 'https://api.atlassian.com', email: c.email ?? '', apiToken: c.apiToken ?? '' };
  }
  return { deployment: 'datacenter', baseUrl: c.baseUrl ?? '', token: c.token ?? '', assetsPath: c.api === 'insight' ? '/rest/insight/1.0' : '/rest/assets/1.0' };
}

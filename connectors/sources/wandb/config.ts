import { z } from 'zod';
import { connectorName, httpOptionsSchema, httpUrl } from '../../../src/config/common';
import { MAX_PAGE_SIZE } from './paging';

/** W&B's prefix on the projects that hold the org-level Registry. */
export const REGISTRY_PREFIX = 'wandb-registry-';
/** The project that holds an entity's legacy Model Registry portfolios. */
export const LEGACY_REGISTRY_PROJECT = 'model-registry';
const SAAS_API_HOST = 'api.wandb.ai';

const namespace = z.string().regex(/^[a-z0-9.:-]+$/, 'lower-case letters, digits, ".", ":" or "-" (it is part of every item key)');
// W&B names never hold "/" or ":" (they separate the parts of an artifact path).
const wandbName = z.string().min(1).regex(/^[^/:]+$/, 'a W&B name without "/" or ":"');

// httpUrl refuses credentials in a URL: the key belongs under apiKey, where the redactor knows it.
const plainUrl = httpUrl;

const DEFAULT_STAGES = { Production: ['production', 'prod', 'champion'], Staging: ['staging', 'challenger'], Archived: ['archived'] };

// A plain strictObject (refined, never transformed): the config loader finds a connector by its schema's `type` literal.
export const wandbConfigSchema = z
  .strictObject({
    name: connectorName,
    type: z.literal('wandb'),
    /** API base URL (GraphQL answers at `<url>/graphql`); a self-hosted server's base URL. */
    url: plainUrl.default(`https://${SAAS_API_HOST}`),
    /** Sent as HTTP Basic `api:<key>`; write `${WANDB_API_KEY}`. */
    apiKey: z.string().min(1),
    /** The team (or user) entity whose projects are read. */
    entity: wandbName.optional(),
    /** Projects of `entity` whose model collections are read. */
    projects: z.array(wandbName).default([]),
    /** The organization's Registry: every registry (`wandb-registry-*` project), or only these. */
    registries: z
      .strictObject({
        organization: z.string().min(1),
        names: z.array(wandbName).min(1).optional(),
      })
      .optional(),
    /** Also read the entity's legacy Model Registry (`model-registry` project). */
    legacyRegistry: z.boolean().default(false),
    /** Artifact types that count as models. */
    artifactTypes: z.array(wandbName).min(1).default(['model']),
    /** Part of every item key; defaults to the URL's host[:port]. Set it so keys survive a server move. */
    namespace: namespace.optional(),
    /** Artifact metadata key, and collection tag prefix (`<key>-<value>`), naming the owner. */
    ownerKey: z.string().min(1).default('owner'),
    /** The same for the cost center. */
    costCenterKey: z.string().min(1).default('cost_center'),
    /** Stage → the aliases that put a version in it, first match wins (case-insensitive). */
    stages: z.record(z.string().min(1), z.array(z.string().min(1))).default(DEFAULT_STAGES),
    /** Collections per page, and the versions read with each collection. */
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
    /** Base of links into the W&B UI; defaults to https://wandb.ai for W&B's cloud, else `url`. */
    uiUrl: plainUrl.optional(),
    http: httpOptionsSchema,
  })
  .superRefine((c, ctx) => {
    if (c.projects.length === 0 && !c.registries && !c.legacyRegistry) {
      ctx.addIssue({ code: 'custom', path: ['projects'], message: 'something to read: projects, registries or legacyRegistry' });
    }
    if (!c.entity && (c.projects.length > 0 || c.legacyRegistry)) {
      ctx.addIssue({ code: 'custom', path: ['entity'], message: 'the entity that owns the projects (and the legacy registry)' });
    }
  });

export type WandbConfig = z.output<typeof wandbConfigSchema>;

/** The namespace in item keys: as configured, else the API URL's host[:port]. */
export function keyNamespace(config: WandbConfig): string {
  return config.namespace ?? new URL(config.url).host.toLowerCase();
}

/** Base of UI links, without a trailing slash. W&B's cloud answers its API and its UI on different hosts. */
export function uiBase(config: WandbConfig): string {
  if (config.uiUrl) return config.uiUrl.replace(/\/+$/, '');
  const url = new URL(config.url);
  if (url.host === SAAS_API_HOST) return 'https://wandb.ai';
  return config.url.replace(/\/+$/, '');
}

/** A registry's project name: `model` and `wandb-registry-model` name the same registry, as in the W&B SDK. */
export function registryProject(name: string): string {
  return name.startsWith(REGISTRY_PREFIX) ? name : `${REGISTRY_PREFIX}${name}`;
}

import { z } from 'zod';

/*
 * The shapes of W&B's GraphQL answers, as the connector's queries ask for them.
 * Lists arrive as Relay connections; each node is validated on its own, so one
 * malformed version is reported with its path and the rest of the page stands.
 * JSONString fields (metadata, config, summaryMetrics) are parsed here.
 */

const text = z.string().nullish();

// W&B writes UTC timestamps, not always with a zone designator (and sometimes with microseconds).
const timestamp = z
  .string()
  .nullish()
  .transform((s, ctx) => {
    if (s === null || s === undefined || s === '') return undefined;
    const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s}Z`;
    const d = new Date(zoned);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'an ISO-8601 timestamp' });
      return z.NEVER;
    }
    return d.toISOString();
  });

/** A JSONString scalar: JSON inside a string. */
const jsonString = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'a JSON string (the JSONString scalar)' });
    return z.NEVER;
  }
});

export const pageInfoSchema = z.object({ endCursor: z.string().nullish(), hasNextPage: z.boolean() });

const projectRef = z.object({ name: z.string().min(1), entity: z.object({ name: z.string().min(1) }) });
const collectionType = z.enum(['ArtifactSequence', 'ArtifactPortfolio']);
const collectionRef = z.object({ __typename: collectionType, name: z.string().min(1), project: projectRef });
const tagNames = z
  .object({ edges: z.array(z.object({ node: z.object({ name: z.string() }) })) })
  .nullish()
  .transform((t) => (t?.edges ?? []).map((e) => e.node.name));

/** What a collection answers, as a version's source collection and as a page's node alike. */
const collectionFields = {
  id: z.string().min(1),
  name: z.string().min(1),
  description: text,
  createdAt: timestamp,
  updatedAt: timestamp,
  tags: tagNames,
};

const inputArtifact = z.object({
  digest: text,
  versionIndex: z.number().int().nullish(),
  artifactType: z.object({ name: z.string() }),
  artifactSequence: z.object({ name: z.string().min(1), project: projectRef }),
});

export const runSchema = z.object({
  __typename: z.literal('Run'),
  name: z.string().min(1),
  state: text,
  user: z.object({ username: text }).nullish(),
  project: projectRef.nullish(),
  // Absent when the query left the lineage out (@include(if: false)).
  displayName: text,
  config: jsonString.nullish(),
  summaryMetrics: jsonString.nullish(),
  inputArtifacts: z
    .object({ pageInfo: z.object({ hasNextPage: z.boolean() }), edges: z.array(z.object({ node: inputArtifact.nullish() })) })
    .nullish(),
});

const creator = z.discriminatedUnion('__typename', [runSchema, z.object({ __typename: z.literal('User'), username: text })]);

const membership = z.object({
  versionIndex: z.number().int().nullish(),
  aliases: z.array(z.object({ alias: z.string().min(1) })),
  artifactCollection: collectionRef.nullish(),
});

export const artifactSchema = z.object({
  id: z.string().min(1),
  versionIndex: z.number().int().nonnegative(),
  state: z.string().min(1),
  digest: text,
  description: text,
  metadata: jsonString.nullish(),
  createdAt: timestamp,
  updatedAt: timestamp,
  artifactType: z.object({ name: z.string().min(1) }),
  tags: z.array(z.object({ name: z.string() })).nullish(),
  aliases: z.array(z.object({ alias: z.string().min(1), artifactCollection: collectionRef.nullish() })),
  artifactSequence: z.object({ ...collectionFields, project: projectRef }),
  artifactMemberships: z
    .object({ pageInfo: z.object({ hasNextPage: z.boolean() }), edges: z.array(z.object({ node: membership.nullish() })) })
    .nullish(),
  createdBy: creator.nullish(),
});

/** A page of versions; each node is validated separately. */
export const versionPageSchema = z.object({
  pageInfo: pageInfoSchema,
  edges: z.array(z.object({ version: z.string().regex(/^v\d+$/, 'a version label such as "v3"'), node: z.unknown() })),
});

export const collectionSchema = z.object({
  __typename: collectionType,
  ...collectionFields,
  // Never null on ArtifactSequence/ArtifactPortfolio; a null would read as "no versions" and retire them.
  artifacts: versionPageSchema,
});

export const collectionsPageSchema = z.object({
  project: z
    .object({
      name: z.string(),
      artifactType: z
        .object({
          artifactCollections: z.object({ pageInfo: pageInfoSchema, edges: z.array(z.object({ node: z.unknown() })) }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export const versionsPageSchema = z.object({
  project: z
    .object({
      artifactType: z.object({ artifactCollection: z.object({ artifacts: versionPageSchema.nullish() }).nullish() }).nullish(),
    })
    .nullish(),
});

export const registriesPageSchema = z.object({
  organization: z
    .object({
      name: z.string(),
      orgEntity: z
        .object({
          name: z.string().min(1),
          projects: z.object({ pageInfo: pageInfoSchema, edges: z.array(z.object({ node: z.object({ name: z.string().min(1) }) })) }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

/** The answer to a batch of run lookups: `r0`, `r1`… each a project (or null) holding the run (or null). */
export const runLineagesSchema = z.record(z.string(), z.object({ run: z.unknown() }).nullish());

export const viewerSchema = z.object({ viewer: z.object({ id: z.string(), username: text, entity: text }).nullish() });

export const projectAccessSchema = z.object({
  project: z.object({ name: z.string(), artifactType: z.object({ name: z.string() }).nullish() }).nullish(),
});

export type Artifact = z.output<typeof artifactSchema>;
export type Collection = z.output<typeof collectionSchema>;
export type VersionPage = z.output<typeof versionPageSchema>;
export type PageInfo = z.output<typeof pageInfoSchema>;
export type Run = Extract<NonNullable<Artifact['createdBy']>, { __typename: 'Run' }>;
export type CollectionRef = z.output<typeof collectionRef>;

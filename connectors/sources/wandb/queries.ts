/**
 * The GraphQL documents the connector sends, with W&B's own type and field
 * names (wandb/wandb tools/graphql_codegen/artifacts/*.graphql). Each read is
 * one query per page that asks for everything the items need: collections
 * with the first page of their versions, each version with its aliases, every
 * collection it is linked into, and the run that produced it.
 */

// GraphQL rejects a document with an unused fragment, so each query carries only what it spreads.
const RUN_FRAGMENTS = /* GraphQL */ `
fragment ProjectRef on Project { name entity { name } }
fragment RunLineage on Run {
  displayName
  config
  summaryMetrics
  inputArtifacts(first: 100) {
    pageInfo { hasNextPage }
    edges { node { digest versionIndex artifactType { name } artifactSequence { name project { ...ProjectRef } } } }
  }
}
`;

const VERSION_FRAGMENTS = /* GraphQL */ `
fragment PageInfoFields on PageInfo { endCursor hasNextPage }
fragment CollectionRef on ArtifactCollection { __typename name project { ...ProjectRef } }
fragment TagNames on TagConnection { edges { node { name } } }
${RUN_FRAGMENTS}fragment VersionFields on Artifact {
  id
  versionIndex
  state
  digest
  description
  metadata
  createdAt
  updatedAt
  artifactType { name }
  tags { name }
  aliases { alias artifactCollection { ...CollectionRef } }
  artifactSequence { id name description createdAt updatedAt tags { ...TagNames } project { ...ProjectRef } }
  artifactMemberships {
    pageInfo { hasNextPage }
    edges { node { versionIndex aliases { alias } artifactCollection { ...CollectionRef } } }
  }
  createdBy {
    __typename
    ... on Run { name state user { username } project { ...ProjectRef } ...RunLineage @include(if: $lineage) }
    ... on User { username }
  }
}
fragment VersionPage on VersionedArtifactConnection { pageInfo { ...PageInfoFields } edges { version node { ...VersionFields } } }
`;

/** One page of a project's collections of one artifact type, each with its first page of versions. */
export const COLLECTIONS_QUERY = /* GraphQL */ `
query ModelCollections($entity: String!, $project: String!, $type: String!, $first: Int!, $after: String, $versions: Int!, $lineage: Boolean = true) {
  project(entityName: $entity, name: $project) {
    name
    artifactType(name: $type) {
      artifactCollections(first: $first, after: $after) {
        pageInfo { ...PageInfoFields }
        edges { node { ...CollectionFields artifacts(first: $versions) { ...VersionPage } } }
      }
    }
  }
}
fragment CollectionFields on ArtifactCollection { __typename id name description createdAt updatedAt tags { ...TagNames } }
${VERSION_FRAGMENTS}`;

/** A further page of one collection's versions, asked for only when the first page said there are more. */
export const VERSIONS_QUERY = /* GraphQL */ `
query CollectionVersions($entity: String!, $project: String!, $type: String!, $collection: String!, $first: Int!, $after: String, $lineage: Boolean = true) {
  project(entityName: $entity, name: $project) {
    artifactType(name: $type) {
      artifactCollection(name: $collection) { artifacts(first: $first, after: $after) { ...VersionPage } }
    }
  }
}
${VERSION_FRAGMENTS}`;

/** The organization's registries: projects of its org entity, filtered by name. */
export const REGISTRIES_QUERY = /* GraphQL */ `
query Registries($organization: String!, $filters: JSONString, $first: Int!, $after: String) {
  organization(name: $organization) {
    name
    orgEntity {
      name
      projects(filters: $filters, first: $first, after: $after) {
        pageInfo { endCursor hasNextPage }
        edges { node { name } }
      }
    }
  }
}`;

/** Who the API key belongs to: proves the key is accepted. */
export const VIEWER_QUERY = /* GraphQL */ `query Viewer { viewer { id username entity } }`;

/** Whether a project exists for this key, and whether it holds artifacts of the type yet. */
export const PROJECT_QUERY = /* GraphQL */ `
query ProjectAccess($entity: String!, $project: String!, $type: String!) {
  project(entityName: $entity, name: $project) { name artifactType(name: $type) { name } }
}`;

/**
 * The lineage of several runs in one POST, one aliased field per run
 * (`r0`, `r1`…): what an incremental read asks for the runs its cache lacks.
 * Values travel as variables; only the count shapes the document.
 */
export function runLineagesQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const vars = indexes.map((i) => `$e${i}: String!, $p${i}: String!, $r${i}: String!`).join(', ');
  const fields = indexes.map((i) => `  r${i}: project(entityName: $e${i}, name: $p${i}) { run(name: $r${i}) { __typename name state user { username } project { ...ProjectRef } ...RunLineage } }`);
  return `query RunLineages(${vars}) {\n${fields.join('\n')}\n}\n${RUN_FRAGMENTS}`;
}

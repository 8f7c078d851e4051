/**
 * The part of W&B's GraphQL schema the connector reads, with W&B's type,
 * field and argument names (from the public SDK's queries and its generated
 * types). Nullability follows W&B: a missing project, collection or artifact
 * is `null`, not an error. JSONString values are JSON inside a string.
 */
export const WANDB_SDL = /* GraphQL */ `
scalar JSONString
scalar DateTime
scalar Int64

enum ArtifactCollectionType { SEQUENCE PORTFOLIO }
enum ArtifactCollectionState { READY DELETED }
enum ArtifactState { PENDING COMMITTED DELETED }

type Query {
  viewer(entityName: String): User
  entity(name: String, login: Boolean): Entity
  organization(id: ID, name: String): Organization
  project(name: String, entityName: String): Project
  artifact(id: ID!): Artifact
}

type PageInfo { startCursor: String endCursor: String hasNextPage: Boolean! hasPreviousPage: Boolean! }

type User {
  id: ID!
  name: String!
  username: String
  email: String
  entity: String
  organizations: [Organization!]!
}

type Organization {
  id: ID!
  name: String!
  orgEntity: Entity
}

type Entity {
  id: ID!
  name: String!
  isTeam: Boolean!
  organization: Organization
  projects(filters: JSONString, order: String, first: Int, after: String): ProjectConnection
}

type ProjectConnection { pageInfo: PageInfo! edges: [ProjectEdge!]! }
type ProjectEdge { cursor: String! node: Project }

type Project {
  id: ID!
  name: String!
  entityName: String!
  entity: Entity!
  description: String
  access: String
  createdAt: DateTime!
  artifactType(name: String!): ArtifactType
  artifactTypes(first: Int, after: String): ArtifactTypeConnection!
  run(name: String!): Run
}

type ArtifactTypeConnection { pageInfo: PageInfo! edges: [ArtifactTypeEdge!]! }
type ArtifactTypeEdge { cursor: String! node: ArtifactType }

type ArtifactType {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  project: Project!
  artifactCollection(name: String!): ArtifactCollection
  artifactCollections(first: Int, after: String, filters: JSONString, order: String, collectionTypes: [ArtifactCollectionType!]): ArtifactCollectionConnection
}

interface ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  state: ArtifactCollectionState!
  project: Project!
  defaultArtifactType: ArtifactType!
  tags(first: Int, after: String): TagConnection!
  aliases(first: Int, after: String): ArtifactAliasConnection!
  artifacts(first: Int, after: String, filters: JSONString, order: String): VersionedArtifactConnection
  artifactMemberships(first: Int, after: String): ArtifactCollectionMembershipConnection!
}

type ArtifactSequence implements ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  state: ArtifactCollectionState!
  project: Project!
  defaultArtifactType: ArtifactType!
  tags(first: Int, after: String): TagConnection!
  aliases(first: Int, after: String): ArtifactAliasConnection!
  artifacts(first: Int, after: String, filters: JSONString, order: String): VersionedArtifactConnection!
  artifactMemberships(first: Int, after: String): ArtifactCollectionMembershipConnection!
  latestArtifact: Artifact
}

type ArtifactPortfolio implements ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  state: ArtifactCollectionState!
  project: Project!
  defaultArtifactType: ArtifactType!
  tags(first: Int, after: String): TagConnection!
  aliases(first: Int, after: String): ArtifactAliasConnection!
  artifacts(first: Int, after: String, filters: JSONString, order: String): VersionedArtifactConnection!
  artifactMemberships(first: Int, after: String): ArtifactCollectionMembershipConnection!
}

type ArtifactCollectionConnection { totalCount: Int! pageInfo: PageInfo! edges: [ArtifactCollectionEdge!]! }
type ArtifactCollectionEdge { cursor: String! node: ArtifactCollection }

type VersionedArtifactConnection { totalCount: Int! pageInfo: PageInfo! edges: [VersionedArtifactEdge!]! }
type VersionedArtifactEdge { cursor: String! version: String! node: Artifact! }

type ArtifactCollectionMembershipConnection { pageInfo: PageInfo! edges: [ArtifactCollectionMembershipEdge!]! }
type ArtifactCollectionMembershipEdge { cursor: String! node: ArtifactCollectionMembership }

type ArtifactCollectionMembership {
  id: ID!
  versionIndex: Int
  createdAt: DateTime!
  aliases: [ArtifactAlias!]!
  artifactCollection: ArtifactCollection
  artifact: Artifact
}

type ArtifactAliasConnection { pageInfo: PageInfo! edges: [ArtifactAliasEdge!]! }
type ArtifactAliasEdge { cursor: String! node: ArtifactAlias }

type ArtifactAlias {
  id: ID!
  alias: String!
  artifactCollectionName: String!
  artifactCollection: ArtifactCollection
  artifact: Artifact
}

type TagConnection { pageInfo: PageInfo! edges: [TagEdge!]! }
type TagEdge { cursor: String! node: Tag! }
type Tag { id: ID! name: String! tagCategoryName: String! }

union Initiator = Run | User

type Artifact {
  id: ID!
  versionIndex(artifactCollectionName: String): Int
  artifactType: ArtifactType!
  artifactSequence: ArtifactSequence!
  description: String
  metadata: JSONString
  state: ArtifactState!
  size: Int64!
  digest: String!
  commitHash(artifactCollectionName: String): String
  fileCount: Int64!
  createdAt: DateTime!
  updatedAt: DateTime
  tags: [Tag!]!
  aliases(artifactCollectionName: String): [ArtifactAlias!]!
  artifactMemberships(first: Int, after: String): ArtifactCollectionMembershipConnection!
  createdBy: Initiator!
}

type InputArtifactConnection { totalCount: Int! pageInfo: PageInfo! edges: [InputArtifactEdge!]! }
type InputArtifactEdge { cursor: String! node: Artifact }

type Run {
  id: ID!
  name: String!
  displayName: String
  state: String
  config: JSONString
  summaryMetrics: JSONString
  createdAt: DateTime!
  heartbeatAt: DateTime
  user: User
  project: Project
  inputArtifacts(first: Int, after: String): InputArtifactConnection
}
`;

/** What the emulator's store holds. Lists are kept sorted by the number their cursors encode. */

export interface StoredUser {
  id: string;
  username: string;
  name: string;
  email?: string;
}

export interface StoredOrg {
  id: string;
  name: string;
  orgEntity: StoredEntity;
}

export interface StoredEntity {
  id: string;
  name: string;
  isTeam: boolean;
  org?: StoredOrg;
  /** By creation order (`seq`). */
  projects: StoredProject[];
  projectsByName: Map<string, StoredProject>;
}

export interface StoredProject {
  id: string;
  seq: number;
  name: string;
  entity: StoredEntity;
  description?: string;
  createdAt: number;
  types: Map<string, StoredType>;
  runs: Map<string, StoredRun>;
}

export interface StoredType {
  id: string;
  seq: number;
  name: string;
  project: StoredProject;
  createdAt: number;
  /** By creation order (`seq`). */
  collections: StoredCollection[];
  collectionsByName: Map<string, StoredCollection>;
}

export interface StoredCollection {
  id: string;
  seq: number;
  kind: 'SEQUENCE' | 'PORTFOLIO';
  name: string;
  type: StoredType;
  description?: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  /** By version index. */
  members: StoredMembership[];
  nextIndex: number;
  /** alias → the membership carrying it: an alias is unique within a collection. */
  aliases: Map<string, StoredMembership>;
}

export interface StoredMembership {
  id: string;
  /** Creation order across the store: the cursor of an artifact's membership list. */
  seq: number;
  collection: StoredCollection;
  index: number;
  artifact: StoredArtifact;
  aliases: Set<string>;
  createdAt: number;
}

export interface StoredArtifact {
  id: string;
  type: StoredType;
  /** Its membership in its source collection (an ArtifactSequence). */
  source: StoredMembership;
  /** Every membership, the source first, then links in the order they were made. */
  memberships: StoredMembership[];
  digest: string;
  state: 'PENDING' | 'COMMITTED' | 'DELETED';
  size: number;
  description?: string;
  /** JSON, as W&B stores it. */
  metadata?: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  createdBy: { run: StoredRun } | { user: StoredUser };
}

export interface StoredRun {
  id: string;
  name: string;
  displayName?: string;
  state: string;
  /** JSON: key → {value, desc}, as the W&B client writes it. */
  config: string;
  /** JSON: metric → last value. */
  summaryMetrics: string;
  user: StoredUser;
  project: StoredProject;
  createdAt: number;
  inputs: StoredArtifact[];
}

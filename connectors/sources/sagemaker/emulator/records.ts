/*
 * What tests and fixtures seed into the SageMaker emulator (New*), and what it
 * stores (Stored*). Times are milliseconds since the epoch; the wire turns
 * them into epoch seconds.
 */

export type Tags = Record<string, string>;
export type ApprovalStatus = 'Approved' | 'Rejected' | 'PendingManualApproval';
export type EndpointStatus = 'OutOfService' | 'Creating' | 'Updating' | 'SystemUpdating' | 'RollingBack' | 'InService' | 'Deleting' | 'Failed' | 'UpdateRollbackFailed';

export interface NewContainer {
  image?: string;
  modelDataUrl?: string;
  /** Served through ModelDataSource.S3DataSource instead of ModelDataUrl (uncompressed models, JumpStart). */
  s3DataSourceUri?: string;
  /** A versioned model package ARN (models created from the registry). */
  modelPackageName?: string;
  environment?: Record<string, string>;
}

export interface NewModelPackageGroup {
  name: string;
  description?: string;
  tags?: Tags;
  createdAt?: number;
}

export interface NewModelPackage {
  group: string;
  approval?: ApprovalStatus;
  status?: 'Pending' | 'InProgress' | 'Completed' | 'Failed' | 'Deleting';
  description?: string;
  containers?: NewContainer[];
  customerMetadata?: Record<string, string>;
  /** S3 report locations under ModelMetrics, e.g. { 'ModelQuality.Statistics': 's3://…/statistics.json' }. */
  metrics?: Record<string, string>;
  lifecycle?: { stage: string; stageStatus: string; description?: string };
  createdBy?: string;
  tags?: Tags;
  createdAt?: number;
}

export interface NewModel {
  name: string;
  containers: NewContainer[];
  tags?: Tags;
  createdAt?: number;
}

export interface NewVariant {
  name: string;
  modelName?: string;
  instanceType?: string;
  initialInstanceCount?: number;
  weight?: number;
  serverless?: { memorySizeMb: number; maxConcurrency: number; provisionedConcurrency?: number };
  /** Managed instance scaling; min 0 is scale-to-zero. */
  scaling?: { min: number; max: number };
}

export interface NewEndpointConfig {
  name: string;
  variants: NewVariant[];
  createdAt?: number;
}

export interface NewEndpoint {
  name: string;
  config: string;
  status?: EndpointStatus;
  /** Current instance count per variant; the config's initial count otherwise. */
  instanceCounts?: Record<string, number>;
  failureReason?: string;
  tags?: Tags;
  createdAt?: number;
  modifiedAt?: number;
}

export interface NewInferenceComponent {
  name: string;
  endpoint: string;
  variant?: string;
  modelName?: string;
  /** A component without a model object names its container directly. */
  container?: { image: string; artifactUrl?: string; environment?: Record<string, string> };
  copies: number;
  memoryMb?: number;
  accelerators?: number;
  status?: 'InService' | 'Creating' | 'Updating' | 'Failed' | 'Deleting';
  tags?: Tags;
  createdAt?: number;
}

export interface StoredGroup {
  name: string;
  arn: string;
  description?: string;
  createdAt: number;
  nextVersion: number;
}

export interface StoredPackage extends Omit<NewModelPackage, 'tags' | 'createdAt' | 'approval' | 'status'> {
  arn: string;
  version: number;
  approval: ApprovalStatus;
  status: NonNullable<NewModelPackage['status']>;
  createdAt: number;
  modifiedAt: number;
}

export interface StoredModel {
  name: string;
  arn: string;
  containers: NewContainer[];
  createdAt: number;
}

export interface StoredConfig {
  name: string;
  arn: string;
  variants: NewVariant[];
  createdAt: number;
}

export interface StoredEndpoint {
  name: string;
  arn: string;
  config: string;
  status: EndpointStatus;
  instanceCounts: Record<string, number>;
  failureReason?: string;
  createdAt: number;
  modifiedAt: number;
}

export interface StoredComponent extends Omit<NewInferenceComponent, 'tags' | 'createdAt' | 'status' | 'variant'> {
  arn: string;
  endpointArn: string;
  variant: string;
  status: NonNullable<NewInferenceComponent['status']>;
  createdAt: number;
  modifiedAt: number;
}

import type { NewContainer, StoredComponent, StoredConfig, StoredEndpoint, StoredGroup, StoredModel, StoredPackage } from './records';

/*
 * Stored records as SageMaker's awsJson1_1 answers carry them: PascalCase
 * members, timestamps in epoch seconds, unset members left out.
 */

const seconds = (ms: number) => ms / 1000;

export function groupSummary(g: StoredGroup) {
  return { ModelPackageGroupName: g.name, ModelPackageGroupArn: g.arn, ModelPackageGroupDescription: g.description, CreationTime: seconds(g.createdAt), ModelPackageGroupStatus: 'Completed' };
}

export function packageSummary(p: StoredPackage) {
  return {
    ModelPackageName: p.group,
    ModelPackageGroupName: p.group,
    ModelPackageVersion: p.version,
    ModelPackageArn: p.arn,
    ModelPackageDescription: p.description,
    CreationTime: seconds(p.createdAt),
    ModelPackageStatus: p.status,
    ModelApprovalStatus: p.approval,
    ModelLifeCycle: lifecycle(p),
  };
}

export function describePackage(p: StoredPackage) {
  const containers = p.containers ?? [];
  return {
    ...packageSummary(p),
    InferenceSpecification: containers.length
      ? {
          Containers: containers.map((c) => ({ Image: c.image ?? 'unknown', ModelDataUrl: c.modelDataUrl, ModelDataSource: dataSource(c), Environment: c.environment })),
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        }
      : undefined,
    ModelPackageStatusDetails: { ValidationStatuses: [] },
    CertifyForMarketplace: false,
    CreatedBy: p.createdBy ? { UserProfileName: p.createdBy, DomainId: 'd-emulator' } : undefined,
    ModelMetrics: p.metrics ? modelMetrics(p.metrics) : undefined,
    LastModifiedTime: seconds(p.modifiedAt),
    CustomerMetadataProperties: p.customerMetadata,
  };
}

export function endpointSummary(e: StoredEndpoint) {
  return { EndpointName: e.name, EndpointArn: e.arn, CreationTime: seconds(e.createdAt), LastModifiedTime: seconds(e.modifiedAt), EndpointStatus: e.status };
}

/** `config` and `models` are what the endpoint was deployed with; a model deleted since leaves its images unresolved. */
export function describeEndpoint(e: StoredEndpoint, config: StoredConfig | undefined, models: (name: string) => StoredModel | undefined) {
  // While creating, or after a failed creation, no variant is running yet.
  const running = e.status !== 'Creating' && e.status !== 'Failed';
  return {
    ...endpointSummary(e),
    EndpointConfigName: e.config,
    FailureReason: e.failureReason,
    ProductionVariants: running && config
      ? config.variants.map((v) => {
          const images = (v.modelName ? models(v.modelName)?.containers ?? [] : []).flatMap((c) => (c.image ? [c.image] : []));
          return {
            VariantName: v.name,
            DeployedImages: images.map((image) => ({ SpecifiedImage: image, ResolvedImage: `${image.split(':')[0]}@sha256:${'0'.repeat(64)}`, ResolutionTime: seconds(e.createdAt) })),
            CurrentWeight: v.weight ?? 1,
            DesiredWeight: v.weight ?? 1,
            CurrentInstanceCount: v.serverless ? undefined : (e.instanceCounts[v.name] ?? 0),
            DesiredInstanceCount: v.serverless ? undefined : (e.instanceCounts[v.name] ?? 0),
            CurrentServerlessConfig: serverless(v.serverless),
            DesiredServerlessConfig: serverless(v.serverless),
            ManagedInstanceScaling: v.scaling ? { Status: 'ENABLED', MinInstanceCount: v.scaling.min, MaxInstanceCount: v.scaling.max } : undefined,
          };
        })
      : undefined,
  };
}

export function describeConfig(c: StoredConfig) {
  return {
    EndpointConfigName: c.name,
    EndpointConfigArn: c.arn,
    CreationTime: seconds(c.createdAt),
    ProductionVariants: c.variants.map((v) => ({
      VariantName: v.name,
      ModelName: v.modelName,
      InitialInstanceCount: v.serverless ? undefined : (v.initialInstanceCount ?? 1),
      InstanceType: v.instanceType,
      InitialVariantWeight: v.weight ?? 1,
      ServerlessConfig: serverless(v.serverless),
      ManagedInstanceScaling: v.scaling ? { Status: 'ENABLED', MinInstanceCount: v.scaling.min, MaxInstanceCount: v.scaling.max } : undefined,
      RoutingConfig: v.modelName ? undefined : { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
    })),
  };
}

export function describeModel(m: StoredModel, account: string) {
  const containers = m.containers.map(container);
  return {
    ModelName: m.name,
    ModelArn: m.arn,
    CreationTime: seconds(m.createdAt),
    ExecutionRoleArn: `arn:aws:iam::${account}:role/SageMakerExecutionRole`,
    EnableNetworkIsolation: false,
    // One container is the PrimaryContainer; an inference pipeline lists them all.
    ...(containers.length === 1 ? { PrimaryContainer: containers[0] } : { Containers: containers, InferenceExecutionConfig: { Mode: 'Serial' } }),
  };
}

export function componentSummary(c: StoredComponent) {
  return {
    InferenceComponentName: c.name,
    InferenceComponentArn: c.arn,
    EndpointName: c.endpoint,
    EndpointArn: c.endpointArn,
    VariantName: c.variant,
    InferenceComponentStatus: c.status,
    CreationTime: seconds(c.createdAt),
    LastModifiedTime: seconds(c.modifiedAt),
  };
}

export function describeComponent(c: StoredComponent) {
  return {
    ...componentSummary(c),
    Specification: {
      ModelName: c.modelName,
      Container: c.container
        ? { DeployedImage: { SpecifiedImage: c.container.image, ResolvedImage: c.container.image }, ArtifactUrl: c.container.artifactUrl, Environment: c.container.environment }
        : undefined,
      ComputeResourceRequirements: { MinMemoryRequiredInMb: c.memoryMb ?? 1024, NumberOfAcceleratorDevicesRequired: c.accelerators },
    },
    RuntimeConfig: { DesiredCopyCount: c.copies, CurrentCopyCount: c.status === 'InService' ? c.copies : 0 },
  };
}

function container(c: NewContainer) {
  return { Image: c.image, ModelDataUrl: c.modelDataUrl, ModelDataSource: dataSource(c), ModelPackageName: c.modelPackageName, Environment: c.environment, Mode: 'SingleModel' };
}

function dataSource(c: NewContainer) {
  return c.s3DataSourceUri ? { S3DataSource: { S3Uri: c.s3DataSourceUri, S3DataType: 'S3Prefix', CompressionType: 'None' } } : undefined;
}

function serverless(s: StoredConfig['variants'][number]['serverless']) {
  return s ? { MemorySizeInMB: s.memorySizeMb, MaxConcurrency: s.maxConcurrency, ProvisionedConcurrency: s.provisionedConcurrency } : undefined;
}

function lifecycle(p: StoredPackage) {
  return p.lifecycle ? { Stage: p.lifecycle.stage, StageStatus: p.lifecycle.stageStatus, StageDescription: p.lifecycle.description } : undefined;
}

// 'ModelQuality.Statistics' → { ModelQuality: { Statistics: { ContentType, S3Uri } } }
function modelMetrics(metrics: Record<string, string>) {
  const out: Record<string, Record<string, { ContentType: string; S3Uri: string }>> = {};
  for (const [path, uri] of Object.entries(metrics)) {
    const [area, report] = path.split('.') as [string, string];
    (out[area] ??= {})[report] = { ContentType: 'application/json', S3Uri: uri };
  }
  return out;
}

import { z } from 'zod';
import { formatPath } from '../../../src/config/yaml-file';
import { MalformedResponseError } from '../../../src/errors';
import { hintEntries } from './hints';

/*
 * What masync keeps of SageMaker's answers. The SDK types every member as
 * optional, so each answer is validated here: only what an item is keyed on
 * is required, timestamps become ISO strings, and the result is plain JSON,
 * ready for the connector cache. Unknown members are dropped.
 */

const time = z.date().transform((d) => d.toISOString());
const name = z.string().min(1);
const text = z.string().optional();
const count = z.number().int().nonnegative().optional();
const tagList = z.array(z.object({ Key: z.string(), Value: z.string().default('') })).transform((tags) => Object.fromEntries(tags.map((t) => [t.Key, t.Value])));

export const groupSummary = z
  .object({ ModelPackageGroupName: name, ModelPackageGroupArn: name, ModelPackageGroupDescription: text, CreationTime: time, ModelPackageGroupStatus: text })
  .transform((g) => ({ name: g.ModelPackageGroupName, arn: g.ModelPackageGroupArn, description: g.ModelPackageGroupDescription, createdAt: g.CreationTime, status: g.ModelPackageGroupStatus }));

const lifecycle = z.object({ Stage: name, StageStatus: text, StageDescription: text }).transform((l) => ({ stage: l.Stage, stageStatus: l.StageStatus, description: l.StageDescription }));

export const packageSummary = z
  .object({
    ModelPackageGroupName: name,
    ModelPackageVersion: z.number().int().positive(),
    ModelPackageArn: name,
    ModelPackageDescription: text,
    CreationTime: time,
    ModelPackageStatus: name,
    ModelApprovalStatus: text,
    ModelLifeCycle: lifecycle.optional(),
  })
  .transform((p) => ({
    group: p.ModelPackageGroupName,
    version: p.ModelPackageVersion,
    arn: p.ModelPackageArn,
    description: p.ModelPackageDescription,
    createdAt: p.CreationTime,
    status: p.ModelPackageStatus,
    approval: p.ModelApprovalStatus,
    lifecycle: p.ModelLifeCycle,
  }));

const container = z
  .object({
    Image: text,
    ModelDataUrl: text,
    ModelDataSource: z.object({ S3DataSource: z.object({ S3Uri: name }).optional() }).optional(),
    ModelPackageName: text,
    Environment: z.record(z.string(), z.string()).optional(),
  })
  .transform((c) => ({
    image: c.Image,
    modelDataUrl: c.ModelDataUrl ?? c.ModelDataSource?.S3DataSource?.S3Uri,
    modelPackage: c.ModelPackageName,
    hints: hintEntries(c.Environment),
  }));

const report = z.object({ S3Uri: name }).optional();
const reports = z.record(z.string(), report).optional();

export const packageDetails = z
  .object({
    LastModifiedTime: time.optional(),
    InferenceSpecification: z.object({ Containers: z.array(container) }).optional(),
    CustomerMetadataProperties: z.record(z.string(), z.string()).optional(),
    ModelMetrics: z.record(z.string(), reports).optional(),
    CreatedBy: z.object({ UserProfileName: text }).optional(),
  })
  .transform((d) => ({
    updatedAt: d.LastModifiedTime,
    containers: d.InferenceSpecification?.Containers ?? [],
    customerMetadata: d.CustomerMetadataProperties ?? {},
    // ModelQuality.Statistics → its report's S3 location.
    metricReports: Object.fromEntries(
      Object.entries(d.ModelMetrics ?? {}).flatMap(([area, r]) => Object.entries(r ?? {}).flatMap(([kind, loc]) => (loc ? [[`${area}.${kind}`, loc.S3Uri]] : []))),
    ),
    createdBy: d.CreatedBy?.UserProfileName,
  }));

export const endpointSummary = z
  .object({ EndpointName: name, EndpointArn: name, CreationTime: time, LastModifiedTime: time, EndpointStatus: name })
  .transform((e) => ({ name: e.EndpointName, arn: e.EndpointArn, createdAt: e.CreationTime, updatedAt: e.LastModifiedTime, status: e.EndpointStatus }));

const serverless = z
  .object({ MemorySizeInMB: z.number(), MaxConcurrency: z.number(), ProvisionedConcurrency: z.number().optional() })
  .transform((s) => ({ memorySizeMb: s.MemorySizeInMB, maxConcurrency: s.MaxConcurrency, ...(s.ProvisionedConcurrency === undefined ? {} : { provisionedConcurrency: s.ProvisionedConcurrency }) }));
const scaling = z.object({ Status: text, MinInstanceCount: count, MaxInstanceCount: count }).transform((s) => ({ enabled: s.Status !== 'DISABLED', min: s.MinInstanceCount }));

export const endpointDetails = z
  .object({
    EndpointConfigName: text,
    FailureReason: text,
    ProductionVariants: z
      .array(
        z.object({
          VariantName: name,
          CurrentWeight: z.number().optional(),
          CurrentInstanceCount: count,
          DesiredInstanceCount: count,
          CurrentServerlessConfig: serverless.optional(),
          ManagedInstanceScaling: scaling.optional(),
          InstancePools: z.array(z.object({ InstanceType: name, CurrentInstanceCount: count })).optional(),
        }),
      )
      .default([]),
  })
  .transform((d) => ({
    configName: d.EndpointConfigName,
    failureReason: d.FailureReason,
    variants: d.ProductionVariants.map((v) => ({
      name: v.VariantName,
      weight: v.CurrentWeight,
      currentInstanceCount: v.CurrentInstanceCount,
      desiredInstanceCount: v.DesiredInstanceCount,
      serverless: v.CurrentServerlessConfig,
      scaling: v.ManagedInstanceScaling,
      pools: v.InstancePools?.map((p) => ({ instanceType: p.InstanceType, currentInstanceCount: p.CurrentInstanceCount })),
    })),
  }));

export const configDetails = z
  .object({
    ProductionVariants: z.array(
      z.object({
        VariantName: name,
        ModelName: text,
        InstanceType: text,
        InitialInstanceCount: count,
        InitialVariantWeight: z.number().optional(),
        ServerlessConfig: serverless.optional(),
        ManagedInstanceScaling: scaling.optional(),
        InstancePools: z.array(z.object({ InstanceType: name, ModelNameOverride: text })).optional(),
      }),
    ),
  })
  .transform((c) => ({
    variants: c.ProductionVariants.map((v) => ({
      name: v.VariantName,
      modelName: v.ModelName,
      instanceType: v.InstanceType ?? v.InstancePools?.[0]?.InstanceType,
      weight: v.InitialVariantWeight,
      serverless: v.ServerlessConfig,
      scaling: v.ManagedInstanceScaling,
      // Heterogeneous pools may run other models than the variant's own.
      poolModels: (v.InstancePools ?? []).flatMap((p) => (p.ModelNameOverride ? [p.ModelNameOverride] : [])),
    })),
  }));

export const modelDetails = z
  .object({ ModelArn: name, PrimaryContainer: container.optional(), Containers: z.array(container).optional() })
  .transform((m) => ({ arn: m.ModelArn, containers: m.PrimaryContainer ? [m.PrimaryContainer] : (m.Containers ?? []) }));

export const componentSummary = z
  .object({ InferenceComponentName: name, InferenceComponentArn: name, EndpointName: name, VariantName: text, InferenceComponentStatus: text, CreationTime: time, LastModifiedTime: time })
  .transform((c) => ({
    name: c.InferenceComponentName,
    arn: c.InferenceComponentArn,
    endpoint: c.EndpointName,
    variant: c.VariantName,
    status: c.InferenceComponentStatus,
    createdAt: c.CreationTime,
    updatedAt: c.LastModifiedTime,
  }));

export const componentDetails = z
  .object({
    Specification: z
      .object({
        ModelName: text,
        Container: z.object({ DeployedImage: z.object({ SpecifiedImage: text }).optional(), ArtifactUrl: text, Environment: z.record(z.string(), z.string()).optional() }).optional(),
      })
      .optional(),
    RuntimeConfig: z.object({ CurrentCopyCount: count, DesiredCopyCount: count }).optional(),
  })
  .transform((c) => ({
    modelName: c.Specification?.ModelName,
    container: c.Specification?.Container && {
      image: c.Specification.Container.DeployedImage?.SpecifiedImage,
      modelDataUrl: c.Specification.Container.ArtifactUrl,
      hints: hintEntries(c.Specification.Container.Environment),
    },
    copyCount: c.RuntimeConfig?.CurrentCopyCount,
  }));

export const tagsPage = z.object({ Tags: tagList.default({}), NextToken: text });

export type GroupSummary = z.output<typeof groupSummary>;
export type PackageSummary = z.output<typeof packageSummary>;
export type PackageDetails = z.output<typeof packageDetails>;
export type ContainerFacts = z.output<typeof container>;
export type EndpointSummary = z.output<typeof endpointSummary>;
export type EndpointDetails = z.output<typeof endpointDetails>;
export type ConfigDetails = z.output<typeof configDetails>;
export type ModelDetails = z.output<typeof modelDetails>;
export type ComponentSummary = z.output<typeof componentSummary>;
export type ComponentDetails = z.output<typeof componentDetails>;
export type Tags = Record<string, string>;

/** Where an answer came from, for the error an operator reads: the source, the item and the path to the field. */
export interface WireSite {
  source: string;
  item: string;
  path?: PropertyKey[];
}

/** The answer validated, or a MalformedResponseError naming the source, the item and the field. */
export function parseWire<S extends z.ZodType>(schema: S, data: unknown, site: WireSite): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = formatPath([...(site.path ?? []), ...(issue?.path ?? [])], '(body)');
  throw new MalformedResponseError(`source ${site.source}: item ${site.item}: field ${field}: ${issue?.message ?? 'invalid'}`, { connector: site.source, item: site.item, field });
}

import { SortedCollection } from './listing';
import type {
  NewEndpoint, NewEndpointConfig, NewInferenceComponent, NewModel, NewModelPackage, NewModelPackageGroup, StoredComponent, StoredConfig, StoredEndpoint,
  StoredGroup, StoredModel, StoredPackage, Tags,
} from './records';

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * One account × region of SageMaker: what its List and Describe operations
 * read. Names are unique regardless of case (the ARN lower-cases them), so
 * every map is keyed by the lower-cased name or ARN.
 */
export class ScopeStore {
  readonly groups = new SortedCollection<StoredGroup>((g) => g.name.toLowerCase(), { Name: (g) => g.name.toLowerCase(), CreationTime: (g) => g.createdAt });
  readonly packages = packageCollection();
  readonly packagesByGroup = new Map<string, SortedCollection<StoredPackage>>();
  readonly models = new Map<string, StoredModel>();
  readonly configs = new Map<string, StoredConfig>();
  readonly endpoints = new SortedCollection<StoredEndpoint>((e) => e.name.toLowerCase(), {
    Name: (e) => e.name.toLowerCase(),
    CreationTime: (e) => e.createdAt,
    Status: (e) => e.status,
  });
  readonly components = new SortedCollection<StoredComponent>((c) => c.name.toLowerCase(), {
    Name: (c) => c.name.toLowerCase(),
    CreationTime: (c) => c.createdAt,
    Status: (c) => c.status,
  });
  readonly tags = new Map<string, Tags>();

  constructor(
    readonly account: string,
    readonly region: string,
    private readonly now: () => number,
  ) {}

  arn(type: string, name: string): string {
    return `arn:aws:sagemaker:${this.region}:${this.account}:${type}/${name.toLowerCase()}`;
  }

  addModelPackageGroup(g: NewModelPackageGroup): string {
    const arn = this.arn('model-package-group', checkName(g.name));
    if (this.groups.get(g.name.toLowerCase())) throw new Error(`model package group ${g.name} exists`);
    this.groups.set({ name: g.name, arn, description: g.description, createdAt: g.createdAt ?? this.now(), nextVersion: 1 });
    this.packagesByGroup.set(g.name.toLowerCase(), packageCollection());
    this.setTags(arn, g.tags);
    return arn;
  }

  addModelPackage(p: NewModelPackage): StoredPackage {
    const group = this.groups.get(p.group.toLowerCase());
    if (!group) throw new Error(`no model package group ${p.group}`);
    const version = group.nextVersion++;
    const createdAt = p.createdAt ?? this.now();
    const { tags, ...rest } = p;
    const stored: StoredPackage = { ...rest, group: group.name, arn: `${this.arn('model-package', group.name)}/${version}`, version, approval: p.approval ?? 'PendingManualApproval', status: p.status ?? 'Completed', createdAt, modifiedAt: createdAt };
    this.packages.set(stored);
    this.packagesByGroup.get(group.name.toLowerCase())?.set(stored);
    this.setTags(stored.arn, tags);
    return stored;
  }

  /** UpdateModelPackage: approval, metadata or description change and LastModifiedTime moves. */
  updateModelPackage(arn: string, change: Partial<Pick<StoredPackage, 'approval' | 'customerMetadata' | 'description' | 'lifecycle'>>): void {
    const p = this.packages.get(arn.toLowerCase());
    if (!p) throw new Error(`no model package ${arn}`);
    const next: StoredPackage = { ...p, ...change, modifiedAt: Math.max(this.now(), p.modifiedAt + 1) };
    this.packages.set(next);
    this.packagesByGroup.get(p.group.toLowerCase())?.set(next);
  }

  deleteModelPackage(arn: string): void {
    const p = this.packages.get(arn.toLowerCase());
    if (!p) throw new Error(`no model package ${arn}`);
    this.packages.delete(arn.toLowerCase());
    this.packagesByGroup.get(p.group.toLowerCase())?.delete(arn.toLowerCase());
    this.tags.delete(arn.toLowerCase());
  }

  addModel(m: NewModel): string {
    const arn = this.arn('model', checkName(m.name));
    if (this.models.has(m.name.toLowerCase())) throw new Error(`model ${m.name} exists`);
    this.models.set(m.name.toLowerCase(), { name: m.name, arn, containers: m.containers, createdAt: m.createdAt ?? this.now() });
    this.setTags(arn, m.tags);
    return arn;
  }

  /** Models can be deleted while endpoints still run them; DescribeModel then fails. */
  deleteModel(name: string): void {
    const m = this.models.get(name.toLowerCase());
    if (!m) throw new Error(`no model ${name}`);
    this.models.delete(name.toLowerCase());
    this.tags.delete(m.arn);
  }

  addEndpointConfig(c: NewEndpointConfig): string {
    const arn = this.arn('endpoint-config', checkName(c.name));
    if (this.configs.has(c.name.toLowerCase())) throw new Error(`endpoint config ${c.name} exists`);
    for (const v of c.variants) if (v.modelName && !this.models.has(v.modelName.toLowerCase())) throw new Error(`endpoint config ${c.name}: no model ${v.modelName}`);
    this.configs.set(c.name.toLowerCase(), { name: c.name, arn, variants: c.variants, createdAt: c.createdAt ?? this.now() });
    return arn;
  }

  addEndpoint(e: NewEndpoint): string {
    const arn = this.arn('endpoint', checkName(e.name));
    if (this.endpoints.get(e.name.toLowerCase())) throw new Error(`endpoint ${e.name} exists`);
    const config = this.configs.get(e.config.toLowerCase());
    if (!config) throw new Error(`endpoint ${e.name}: no endpoint config ${e.config}`);
    const createdAt = e.createdAt ?? this.now();
    this.endpoints.set({
      name: e.name, arn, config: config.name, status: e.status ?? 'InService', failureReason: e.failureReason,
      instanceCounts: { ...initialCounts(config), ...e.instanceCounts }, createdAt, modifiedAt: e.modifiedAt ?? createdAt,
    });
    this.setTags(arn, e.tags);
    return arn;
  }

  /** UpdateEndpoint / UpdateEndpointWeightsAndCapacities: LastModifiedTime moves. */
  updateEndpoint(name: string, change: { config?: string; status?: StoredEndpoint['status']; instanceCounts?: Record<string, number> }): void {
    const e = this.endpoint(name);
    const config = change.config ? this.configs.get(change.config.toLowerCase()) : undefined;
    if (change.config && !config) throw new Error(`no endpoint config ${change.config}`);
    this.endpoints.set({
      ...e,
      config: config?.name ?? e.config,
      status: change.status ?? e.status,
      instanceCounts: { ...(config ? initialCounts(config) : e.instanceCounts), ...change.instanceCounts },
      modifiedAt: Math.max(this.now(), e.modifiedAt + 1),
    });
  }

  deleteEndpoint(name: string): void {
    const e = this.endpoint(name);
    this.endpoints.delete(name.toLowerCase());
    this.tags.delete(e.arn);
    for (const c of [...this.components.values()]) if (c.endpointArn === e.arn) this.components.delete(c.name.toLowerCase());
  }

  addInferenceComponent(c: NewInferenceComponent): string {
    const arn = this.arn('inference-component', checkName(c.name));
    const endpoint = this.endpoint(c.endpoint);
    if (this.components.get(c.name.toLowerCase())) throw new Error(`inference component ${c.name} exists`);
    if (c.modelName && !this.models.has(c.modelName.toLowerCase())) throw new Error(`inference component ${c.name}: no model ${c.modelName}`);
    const variant = c.variant ?? this.configs.get(endpoint.config.toLowerCase())?.variants[0]?.name ?? 'AllTraffic';
    const createdAt = c.createdAt ?? this.now();
    const { tags, ...rest } = c;
    this.components.set({ ...rest, endpoint: endpoint.name, arn, endpointArn: endpoint.arn, variant, status: c.status ?? 'InService', createdAt, modifiedAt: createdAt });
    this.setTags(arn, tags);
    return arn;
  }

  /** AddTags: adds or overwrites keys; no timestamp of the resource moves. */
  addTags(arn: string, tags: Tags): void {
    this.tags.set(arn.toLowerCase(), { ...this.tags.get(arn.toLowerCase()), ...tags });
  }

  endpoint(name: string): StoredEndpoint {
    const e = this.endpoints.get(name.toLowerCase());
    if (!e) throw new Error(`no endpoint ${name}`);
    return e;
  }

  private setTags(arn: string, tags: Tags | undefined): void {
    if (tags && Object.keys(tags).length > 0) this.tags.set(arn.toLowerCase(), { ...tags });
  }
}

function packageCollection(): SortedCollection<StoredPackage> {
  return new SortedCollection<StoredPackage>((p) => p.arn.toLowerCase(), { Name: (p) => p.group.toLowerCase(), CreationTime: (p) => p.createdAt });
}

function initialCounts(config: StoredConfig): Record<string, number> {
  return Object.fromEntries(config.variants.filter((v) => !v.serverless).map((v) => [v.name, v.initialInstanceCount ?? 1]));
}

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`${name}: a SageMaker name is 1–63 letters, digits and hyphens`);
  return name;
}

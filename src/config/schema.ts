import cron from 'node-cron';
import { z } from 'zod';
import { metricDirection } from '../enrich/findings/metric-direction';
import { PINNED_PATTERNS } from '../enrich/findings/vendor-reference';

/**
 * The config file's schema. Connector sections are validated by each
 * connector's own schema, passed in, so this module never imports a connector.
 */

export const guardSchema = z
  .strictObject({
    /** More retirements than this share of a sink's managed records stops the apply (unless --allow-mass-retire). */
    maxRetireFraction: z.number().min(0).max(1).default(0.2),
    /** A source (or scope) that returns fewer items than this share of its last trusted read retires nothing. */
    minFractionOfLastRun: z.number().min(0).max(1).default(0.5),
    /**
     * A full sink read missing more than this share of the records state says masync made (or
     * all of them) is a failed read: nothing is recreated or retired in that sink this run.
     */
    maxMissingFraction: z.number().min(0).max(1).default(0.05),
  })
  .prefault({});

export const runSchema = z
  .strictObject({
    /** Batches (or single writes) in flight at once per sink; `--concurrency` overrides it. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Hours between full reads; in between, sinks read only what changed and sources reuse what cannot change. */
    fullReadEveryHours: z.number().min(0).max(24 * 30).default(24),
    /** Incremental sink reads start this many seconds before the last change seen, for clock skew and slow commits. */
    changedSinceMarginSec: z.number().int().min(0).max(86_400).default(300),
    /** A write whose outcome is unknown is looked up now, and again after this many seconds, twice, before it is sent again. */
    settleSec: z.number().min(0).max(600).default(5),
    /** After the first stop signal, writes in flight get this long to finish before they are cut off. */
    stopGraceSec: z.number().int().min(0).max(3600).default(30),
  })
  .prefault({});

export const stateSchema = z
  .strictObject({
    /** SQLite file; relative paths are relative to the config file. */
    path: z.string().min(1).default('masync.db'),
    /** Seconds a run's lease on the state file lasts without renewal (a crashed run frees it after this). */
    leaseSec: z.number().int().min(10).max(3600).default(60),
    /**
     * Days a create's full payload stays in the journal. The entry itself (what, when, which run,
     * the result) is kept for good: it is the audit trail.
     */
    keepCreatePayloadDays: z.number().int().min(0).max(36_500).default(90),
    /** Days a connector's cached answer (a finished run's lineage, a describe) is kept after it was last used. */
    cacheTtlDays: z.number().int().min(1).max(3650).default(30),
  })
  .prefault({});

export const logSchema = z
  .strictObject({
    level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    /** `auto`: human on a terminal, JSON lines otherwise. */
    format: z.enum(['auto', 'human', 'json']).default('auto'),
  })
  .prefault({});

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, { message: 'a regular expression' });

const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);

const toggle = (level: z.infer<typeof severity>, enabled = true) => ({ enabled: z.boolean().default(enabled), severity: severity.default(level) });
/**
 * Governance policies judge an organisation's own conventions (its metrics,
 * tags and retention) and write findings into every mapped record: they are
 * turned on in the config, so an upgrade never starts a wave of sink updates.
 */
const optIn = (level: z.infer<typeof severity>) => toggle(level, false);

/** A metric's threshold: a number (its direction told by its name), or the threshold and which side of it is bad. */
const threshold = z.union([z.number(), z.strictObject({ threshold: z.number(), direction: z.enum(['below', 'above']) })]);
const thresholds = z.record(z.string().min(1), threshold).superRefine((map, ctx) => {
  for (const [metric, t] of Object.entries(map)) {
    if (typeof t === 'number' && metricDirection(metric) === undefined) {
      ctx.addIssue({ code: 'custom', path: [metric], message: `masync cannot tell whether a high or a low "${metric}" is bad: write {threshold: ${t}, direction: below} (accuracy-like) or {threshold: ${t}, direction: above} (error-like)` });
    }
  }
});

const kinds = z.array(z.enum(['model', 'model_version', 'deployment'])).min(1);

/** The finding types masync raises every run, each with its settings (`policies:`). */
export const policiesSchema = z
  .strictObject({
    /** Aliases that mean production, for registries without stages: what every policy and the maturity score call production. */
    productionAliases: z.array(z.string().min(1)).default(['production', 'prod', 'champion']),
    zombie: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Days without one invocation that make a live endpoint a zombie; the usage enricher's window must cover them. */
        idleDays: z.number().int().min(1).max(455).default(14),
        /** Endpoints younger than this are not judged (a new one may not have traffic yet). */
        minAgeDays: z.number().int().min(0).max(3650).default(14),
        severity: severity.default('high'),
      })
      .prefault({}),
    retiredButServing: z.strictObject(toggle('high')).prefault({}),
    shadow: z.strictObject(toggle('medium')).prefault({}),
    unservedProduction: z
      .strictObject({
        ...toggle('low'),
        /** Overrides `policies.productionAliases` for this policy alone. */
        productionAliases: z.array(z.string().min(1)).optional(),
      })
      .prefault({}),
    retirementCandidate: z
      .strictObject({
        ...optIn('medium'),
        /** Metric → threshold for every production version: below it (auc, f1…) or above it (loss, rmse…) makes it a candidate. */
        metrics: thresholds.default({}),
        /** Model name or key → its own thresholds, over the global ones metric by metric. */
        models: z.record(z.string().min(1), thresholds).default({}),
      })
      .prefault({}),
    missingOwner: z.strictObject({ ...optIn('medium'), kinds: kinds.default(['model', 'deployment']) }).prefault({}),
    missingCostCenter: z.strictObject({ ...optIn('low'), kinds: kinds.default(['model', 'deployment']) }).prefault({}),
    missingLineage: z
      .strictObject({
        ...optIn('medium'),
        /** Judge only production versions (a scratch version without lineage is no one's problem). */
        productionOnly: z.boolean().default(true),
      })
      .prefault({}),
    noRetirementPlan: z
      .strictObject({
        ...optIn('low'),
        /** The tag (on the version, else its model) holding each part of the plan. */
        tags: z
          .strictObject({
            replacementCriterion: z.string().min(1).default('retirement.replacement_criterion'),
            replacementCandidate: z.string().min(1).default('retirement.replacement_candidate'),
            cutoverSteps: z.string().min(1).default('retirement.cutover_steps'),
            dataDeletionPlan: z.string().min(1).default('retirement.data_deletion_plan'),
          })
          .prefault({}),
      })
      .prefault({}),
    unpinnedVendorModel: z
      .strictObject({
        ...optIn('medium'),
        /** Tag or param keys (the version's, then its model's tags) that name the vendor model a GenAI version calls. */
        referenceKeys: z.array(z.string().min(1)).min(1).default(['vendor_model', 'llm.model', 'llm_model', 'openai.model', 'anthropic.model', 'bedrock.model_id', 'gen_ai.request.model']),
        /** Regular expressions of a pinned reference (a dated or numbered snapshot); a name matching none, or saying "latest", floats. */
        pinnedPatterns: z.array(regex).min(1).default(PINNED_PATTERNS),
      })
      .prefault({}),
    rollbackDepth: z
      .strictObject({
        ...optIn('low'),
        /** Earlier versions (not archived, rejected or deleted) a production model keeps to roll back to. */
        minVersions: z.number().int().min(1).max(1000).default(5),
      })
      .prefault({}),
    stale: z
      .strictObject({
        ...optIn('low'),
        /** Days without a new version or a recorded evaluation after which a production model is stale. */
        maxAgeDays: z.number().int().min(1).max(3650).default(180),
        /** Tags (on the model or its versions) holding the date of the last evaluation. */
        evaluationDateTags: z.array(z.string().min(1)).default(['last_evaluated', 'evaluated_at', 'evaluation_date']),
      })
      .prefault({}),
  })
  .prefault({});

/** How deployments are priced when billing data has no figure for them. */
export const costSchema = z
  .strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as USD').default('USD'),
    hoursPerMonth: z.number().positive().max(744).default(730),
    /** Instance type → price per hour, over (and overriding) the shipped table config/prices.yaml. */
    prices: z.record(z.string().min(1), z.number().nonnegative()).default({}),
  })
  .prefault({});

/** How a deployment's container facts name the registry version it serves (see src/enrich/link.ts). */
export const linkingSchema = z
  .strictObject({
    /** Environment entries or tags whose value is a run id. */
    runIdHints: z.array(z.string().min(1)).default(['MLFLOW_RUN_ID', 'mlflow.run_id', 'mlflow_run_id', 'run_id']),
    /** Environment entries or tags whose value is a model reference (models:/fraud/3, a model package ARN). */
    referenceHints: z.array(z.string().min(1)).default(['MLFLOW_MODEL_URI', 'mlflow.model_uri', 'model_uri', 'wandb.artifact']),
  })
  .prefault({});

export const cronExpression = z.string().refine((s) => cron.validate(s), { message: 'a cron expression such as "*/15 * * * *"' });

export const daemonSchema = z
  .strictObject({
    /** Port for /healthz and /metrics; 0 disables the server. */
    port: z.number().int().min(0).max(65535).default(9464),
    /** Interface to listen on. */
    host: z.string().default('127.0.0.1'),
    /**
     * /healthz answers 503 when the last successful run is older than this many seconds
     * (default: three schedule intervals), so a probe or alert sees a daemon that stopped syncing.
     */
    maxSuccessAgeSec: z.number().int().positive().optional(),
  })
  .prefault({});

/** The schema config files are validated with. */
export function buildConfigSchema(sources: readonly z.ZodType[], sinks: readonly z.ZodType[], enrichers: readonly z.ZodType[] = []) {
  return topLevel(byType(sources, 'source'), byType(sinks, 'sink'), byType(enrichers, 'enricher'));
}

/** The same shape as a plain union, which JSON Schema can express (for editors). */
export function buildConfigJsonSchema(sources: readonly z.ZodType[], sinks: readonly z.ZodType[], enrichers: readonly z.ZodType[] = []): Record<string, unknown> {
  const schema = topLevel(unionOf(sources) as z.ZodType<Named>, unionOf(sinks) as z.ZodType<Named>, unionOf(enrichers) as z.ZodType<Named>);
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

type Named = { name: string; type: string };

function topLevel(source: z.ZodType<Named>, sink: z.ZodType<Named>, enricher: z.ZodType<Named>) {
  return z.strictObject({
    state: stateSchema,
    schedule: cronExpression.optional(),
    daemon: daemonSchema,
    log: logSchema,
    guard: guardSchema,
    run: runSchema,
    policies: policiesSchema,
    cost: costSchema,
    linking: linkingSchema,
    sources: z.array(source).min(1, 'at least one source').superRefine(uniqueNames),
    sinks: z.array(sink).min(1, 'at least one sink').superRefine(uniqueNames),
    /** Usage and cost facts joined onto the sources' items (CloudWatch, Cost Explorer). */
    enrichers: z.array(enricher).superRefine(uniqueNames).default([]),
  });
}

function unionOf(schemas: readonly z.ZodType[]): z.ZodType {
  const [first, ...rest] = schemas;
  if (!first) return z.never();
  return rest.length === 0 ? first : z.union([first, ...rest]);
}

/** Pick the connector schema by `type` first, so errors speak about that connector's fields. */
function byType(schemas: readonly z.ZodType[], role: string): z.ZodType<Named> {
  const types = schemas.map(typeOf).join(', ') || '(none registered)';
  return z.unknown().transform((value, ctx) => {
    const type = value && typeof value === 'object' ? (value as Record<string, unknown>).type : undefined;
    const schema = schemas.find((s) => typeOf(s) === type);
    if (!schema) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: `a ${role} type: one of ${types}` });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: describe(issue), path: issue.path });
      return z.NEVER;
    }
    return parsed.data as Named;
  }) as unknown as z.ZodType<Named>;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

function typeOf(schema: z.ZodType): string | undefined {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  const literal = shape?.type as { value?: unknown } | undefined;
  return typeof literal?.value === 'string' ? literal.value : undefined;
}

function uniqueNames(list: Named[], ctx: z.RefinementCtx<Named[]>): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const prev = seen.get(item.name);
    if (prev !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `a unique name ("${item.name}" is also used at [${prev}])` });
    seen.set(item.name, i);
  });
}

export type MasyncConfig = z.output<ReturnType<typeof buildConfigSchema>>;

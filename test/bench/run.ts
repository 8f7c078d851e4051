import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmulatorHost } from './host';
import type { Started } from './protocol';
import { boundBasis, callsByOperation, latencyBoundMs, stepTable, targetLines, type Target } from './report';
import { partCounts, runStep, type StepResult } from './step';

/**
 * `npm run bench`: masync's performance contract (issue 8). MLflow's bulk
 * registry into ServiceNow, each step a sync in a process of its own, the
 * emulators in another, so every figure is masync's alone:
 *
 *   npm run bench -- --versions 10000 [--latency 50] [--full] [--json out.json] [--cpu-prof DIR]
 *
 * Steps: first sync, no-op re-sync, 1 % of versions change stage, 1 % are
 * deleted (and, with --full, a full re-sync). Then a sandbox sync of the AWS
 * parts, held to the fewest calls SageMaker, CloudWatch and Cost Explorer allow,
 * and W&B's registry of the same size, at most 10,000 versions, into Jira Assets (first sync, no-op
 * re-sync), held to the fewest calls W&B's GraphQL API and Assets allow.
 */
interface Args {
  versions: number;
  latencyMs: number;
  full: boolean;
  json?: string;
  cpuProf?: string;
}

const WANDB_JIRA_MAX_VERSIONS = 10_000;
const CONCURRENCY = 4; // run.concurrency's default: the sandbox config leaves it as shipped

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const models = Math.max(1, Math.round(args.versions / 10));
  const versions = models * 10;
  const nodeFlags = args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${args.cpuProf}`] : [];
  const out = (t = '') => process.stdout.write(`${t}\n`);
  out(`masync benchmark: MLflow (${versions.toLocaleString('en')} versions in ${models.toLocaleString('en')} models) → ServiceNow; latency ${args.latencyMs} ms; node ${process.version}, ${os.cpus().length} CPU(s)`);
  out('Each step is a sync in a process of its own; the emulators run in another, so their CPU and memory are not counted.');
  out(`Load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}: wall times grow with it; cpu is the sync process's own CPU time.\n`);

  const mlflowRun = await session(['mlflow', 'servicenow'], { models, versionsPerModel: 10 }, args.latencyMs, async (host, started) => {
    const steps: StepResult[] = [];
    const step = async (name: string, o: { full?: boolean; warm: boolean; change?: 'move' | 'delete' }) => {
      if (o.change) await host.ask({ op: 'change', kind: o.change, count: Math.max(1, Math.round(versions / 100)) });
      const r = await runStep(host, started, { step: name, full: o.full ?? false, warm: o.warm, since: steps[steps.length - 1]?.startedAt, nodeFlags, concurrency: CONCURRENCY });
      steps.push(r);
      process.stderr.write(`  ${name}: ${(r.sync.wallMs / 1000).toFixed(2)} s\n`);
    };
    await step('first sync', { warm: false });
    await step('no-op re-sync', { warm: true });
    await step('1 % changed', { warm: true, change: 'move' });
    await step('1 % deleted', { warm: true, change: 'delete' });
    if (args.full) await step('--full re-sync', { warm: false, full: true });
    return { steps, parts: started.parts };
  });

  const aws = await session(['sagemaker', 'cloudwatch', 'costExplorer', 'servicenow'], undefined, args.latencyMs, async (host, started) => {
    const steps: StepResult[] = [];
    for (const [name, warm] of [['sandbox sync, cold', false], ['sandbox re-sync, warm', true]] as const) {
      steps.push(await runStep(host, started, { step: name, full: false, warm, since: steps[steps.length - 1]?.startedAt, nodeFlags, concurrency: CONCURRENCY }));
    }
    return { steps, parts: started.parts };
  });

  // Assets has no batch write: past 10,000 versions this session times one HTTP write per record, hundreds of thousands of them.
  const wandbModels = Math.min(models, WANDB_JIRA_MAX_VERSIONS / 10);
  const wandbRun = await session(['wandb', 'jiraAssets'], { models: wandbModels, versionsPerModel: 10 }, args.latencyMs, async (host, started) => {
    const steps: StepResult[] = [];
    // The W&B part offers no platform changes, so the session is a first sync and a no-op re-sync.
    for (const [name, warm] of [['first sync', false], ['no-op re-sync', true]] as const) {
      const r = await runStep(host, started, { step: name, full: false, warm, since: steps[steps.length - 1]?.startedAt, nodeFlags, concurrency: CONCURRENCY });
      steps.push(r);
      process.stderr.write(`  W&B → Jira Assets, ${name}: ${(r.sync.wallMs / 1000).toFixed(2)} s\n`);
    }
    return { steps, parts: started.parts };
  });

  out(stepTable(mlflowRun.steps, mlflowRun.parts, args.latencyMs));
  out('\nCalls by operation:');
  out(callsByOperation(mlflowRun.steps));
  out('\nHow each lower bound is counted:');
  out(boundBasis(mlflowRun.steps, args.latencyMs));
  out('\nThe AWS parts of the sandbox (SageMaker read, CloudWatch usage, Cost Explorer cost), demo data:');
  out(stepTable(aws.steps, aws.parts, args.latencyMs));
  out(callsByOperation(aws.steps));
  out(boundBasis(aws.steps, args.latencyMs));
  out(`\nW&B (${(wandbModels * 10).toLocaleString('en')} versions in ${wandbModels.toLocaleString('en')} collections, at most ${WANDB_JIRA_MAX_VERSIONS.toLocaleString('en')}) → Jira Assets (Cloud, ML schema made beforehand):`);
  out(stepTable(wandbRun.steps, wandbRun.parts, args.latencyMs));
  out(callsByOperation(wandbRun.steps));
  out(boundBasis(wandbRun.steps, args.latencyMs));
  const targets = targetsOf(mlflowRun.steps, versions, args.latencyMs);
  out('\nTargets (issue 8):');
  out(targetLines(targets));
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ node: process.version, cpus: os.cpus().length, versions, models, latencyMs: args.latencyMs, steps: mlflowRun.steps, parts: mlflowRun.parts, aws: aws.steps, wandbJira: { versions: wandbModels * 10, steps: wandbRun.steps, parts: wandbRun.parts }, targets }, null, 2));
    out(`\nWrote ${args.json}`);
  }
}

/** Start a host with these parts, run `body`, and always stop the emulators. */
async function session<T>(parts: string[], scale: { models: number; versionsPerModel: number } | undefined, latencyMs: number, body: (host: EmulatorHost, started: Started) => Promise<T>): Promise<T> {
  const host = new EmulatorHost();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-bench-'));
  try {
    const started = await host.ask<Started>({ op: 'start', parts, scale, latencyMs: latencyMs || undefined, dir });
    return await body(host, started);
  } finally {
    await host.close();
    // A 100,000-version state file is a quarter of a gigabyte; the figures are in the report.
    rmSync(dir, { recursive: true, force: true });
  }
}

function targetsOf(steps: StepResult[], versions: number, latencyMs: number): Target[] {
  const byName = new Map(steps.map((s) => [s.step, s]));
  const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const first = byName.get('first sync');
  const noop = byName.get('no-op re-sync');
  const rss = Math.max(...steps.map((s) => s.sync.peakRssMb));
  const state = Math.max(...steps.map((s) => s.stateBytes));
  const mlflow = steps.map((s) => {
    const c = partCounts(s.calls.mlflow, s.bounds.mlflow);
    return { step: s.step, n: c.roundTrips, bound: c.bound?.calls ?? 0 };
  });
  const worst = mlflow.reduce((w, m) => (m.n / Math.max(1, m.bound) > w.n / Math.max(1, w.bound) ? m : w));
  const out: Target[] = [
    { what: 'no-op re-sync', measured: secs(noop?.sync.wallMs ?? 0), limit: '5 s', met: (noop?.sync.wallMs ?? Infinity) < 5000 },
    { what: 'first sync', measured: secs(first?.sync.wallMs ?? 0), limit: '30 s', met: (first?.sync.wallMs ?? Infinity) < 30_000 },
    { what: 'peak RSS of a sync', measured: `${rss} MB`, limit: '400 MB', met: rss < 400 },
    { what: 'state file (db + wal)', measured: `${(state / 1024 / 1024).toFixed(1)} MB`, limit: '100 MB', met: state < 100 * 1024 * 1024 },
    { what: 'MLflow calls ÷ bound (worst step)', measured: `${worst.n} / ${worst.bound} in "${worst.step}"`, limit: '1.05', met: mlflow.every((m) => m.n <= 1.05 * m.bound) },
  ];
  if (latencyMs > 0 && noop && versions === 1000) {
    const bound = latencyBoundMs(noop, latencyMs);
    out.push({ what: 'no-op re-sync ÷ latency bound (1,000 versions)', measured: `${secs(noop.sync.wallMs)} / ${secs(bound)} = ${(noop.sync.wallMs / bound).toFixed(2)}`, limit: '1.2', met: noop.sync.wallMs <= 1.2 * bound });
  }
  return out;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, def: number, min: number) => {
    const v = Number(value(name) ?? def);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
    return v;
  };
  const known = new Set(['--versions', '--latency', '--full', '--json', '--cpu-prof']);
  const unknown = argv.filter((a, i) => a.startsWith('--') && !known.has(a) && !known.has(argv[i - 1] ?? ''));
  if (unknown.length) throw new Error(`unknown option ${unknown.join(', ')}; use --versions N, --latency MS, --full, --json FILE, --cpu-prof DIR`);
  return { versions: int('versions', 1000, 10), latencyMs: int('latency', 0, 0), full: argv.includes('--full'), json: value('json'), cpuProf: value('cpu-prof') };
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});

import type { SyncResult } from '../../src/app/sync-run';
import { silentLogger } from '../../src/log/logger';
import { registry } from '../../connectors';
import { openSandboxRuntime, sandboxBase, startSandbox, syncSandbox } from '../../src/sandbox/sandbox';
import { writesOf } from '../../src/app/sync-run';

/**
 * `npm run bench`: time full syncs against the emulators with a large,
 * deterministic registry. Emulators run in this process, so their CPU time is
 * part of every number; read results as relative, machine-specific figures.
 *
 *   npm run bench -- --models 200 --versions 5 --concurrency 4
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const box = await startSandbox({ bulk: { models: args.models, versionsPerModel: args.versions }, guard: { maxRetireFraction: 1 } });
  const rt = openSandboxRuntime(box, { registry, env: process.env, makeLogger: () => silentLogger });
  const base = sandboxBase(rt);
  const sync = () => syncSandbox(rt, base, { allowMassRetire: true, concurrency: args.concurrency });
  const rows: string[][] = [];
  const measure = async (label: string, before?: () => void) => {
    before?.();
    const mark = { mlflow: box.mlflow.server.requests.length, sn: box.servicenow.server.requests.length };
    const r: SyncResult = await sync();
    if (r.status !== 'ok') throw new Error(`${label}: ${r.status}: ${r.errors.join('; ')}`);
    const mlflowReqs = box.mlflow.server.requests.length - mark.mlflow;
    const snReqs = box.servicenow.server.requests.slice(mark.sn);
    const writes = snReqs.filter((q) => q.method !== 'GET').length;
    rows.push([label, `${(r.durationMs / 1000).toFixed(2)} s`, `${r.planned.create}/${r.planned.update}/${r.planned.retire}/${r.planned.unchanged}`, String(writesOf(r.applied)), String(mlflowReqs), String(snReqs.length - writes), String(writes)]);
  };
  const items = box.seeded.models + box.seeded.versions;
  process.stdout.write(`masync benchmark: ${box.seeded.models} models × ${args.versions} versions = ${items} items, concurrency ${args.concurrency}, node ${process.version}\n`);
  await measure('first sync (all creates)');
  await measure('second sync (no changes)');
  await measure('10 stage changes', () => {
    for (let m = 1; m <= 10; m++) box.mlflow.transitionStage(`bulk-model-${String(m).padStart(5, '0')}`, '1', 'Staging');
  });
  await measure('1 model deleted (retire)', () => box.mlflow.deleteModel('bulk-model-00001'));
  const header = ['run', 'time', 'c/u/r/same', 'writes', 'MLflow GETs', 'SN reads', 'SN writes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) process.stdout.write(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ') + '\n');
  rt.close();
  await box.stop();
}

function parseArgs(argv: string[]): { models: number; versions: number; concurrency: number } {
  const get = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : def;
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
    return v;
  };
  return { models: get('models', 200), versions: get('versions', 5), concurrency: get('concurrency', 4) };
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});

import { computePlan } from '../app/compute-plan';
import { runLine } from '../app/run-text';
import { openRunEnv } from '../app/run-env';
import type { Registry, Runtime } from '../app/runtime';
import type { SyncResult } from '../app/sync-run';
import { renderPlan } from '../engine/render';
import type { Plan } from '../engine/types';
import { createLogger } from '../log/logger';
import { bootstrapSummary, planHeadlines, recordText } from './demo-text';
import type { SandboxPart, SinkView } from './part';
import { openSandboxRuntime, sandboxBase, startSandbox, syncSandbox, type PartFactories, type Sandbox } from './sandbox';

export interface DemoIO {
  out(text: string): void;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  registry: Registry;
  signal: AbortSignal;
  color: boolean;
  /** Run a masync command in this process, with `env` added to the environment; resolves to what it printed. */
  command(argv: string[], env: Record<string, string>): Promise<string>;
}

type ViewedSink = SandboxPart & { view: SinkView };

/**
 * The guided tour `npm start` runs, over whatever parts it is given: apply
 * the Assets schema, plan, sync, sync again (no writes), delete a version at
 * a source and watch its records retire (not delete), query-character
 * safety, findings and what they cost, one deployment as its CI shows it,
 * and the run history. Returns the sandbox still running when `keep` is set.
 */
export async function runDemo(io: DemoIO, factories: PartFactories, opts: { keep: boolean; dir?: string }): Promise<Sandbox | undefined> {
  const box = await startSandbox(factories, { dir: opts.dir });
  const parts = Object.values(box.parts);
  const sinks = parts.filter((p): p is ViewedSink => p.role === 'sink' && p.view !== undefined);
  const cmdEnv = { ...box.env, MASYNC_CONFIG: box.configFile };
  const heading = (s: string) => io.out(`\n${io.color ? `\x1b[1m${s}\x1b[0m` : s}\n${'─'.repeat(Math.min(s.length, 78))}`);
  let rt: Runtime | undefined;
  try {
    heading('masync sandbox: every emulator on 127.0.0.1, nothing real');
    for (const p of parts) io.out(`${p.role.padEnd(8)} ${p.describe}`);
    io.out(`config   ${box.configFile}`);

    // Warnings matter in the demo (an owner the sink does not know); chatter does not.
    rt = openSandboxRuntime(box, { registry: io.registry, env: io.env, makeLogger: (redactor) => createLogger({ level: 'warn', format: 'human', redactor, stream: io.stderr }) });
    const base = sandboxBase(rt, io.signal);
    const writesBy = () => sinks.map((s) => s.view.writes());
    const sync = async (): Promise<SyncResult> => {
      const before = writesBy();
      const r = await syncSandbox(rt as Runtime, base);
      io.out([runLine(r), ...r.errors.map((e) => `error: ${e}`)].join('\n'));
      const after = writesBy();
      io.out(sinks.map((s, i) => `  ${s.config.name} (${s.config.type}) received ${(after[i] ?? 0) - (before[i] ?? 0)} write(s)`).join('\n'));
      return r;
    };

    for (const h of rt.sinks.filter((x) => x.sink.bootstrap)) {
      heading(`1. masync init --sink ${h.sink.name} --apply-schema: the empty workspace gets the schema masync maps to`);
      io.out(bootstrapSummary(await io.command(['init', '--sink', h.sink.name, '--apply-schema'], cmdEnv)));
    }

    heading('2. masync plan: what a sync would write (headlines; `masync plan` lists every field)');
    const { plan } = await computePlan(rt, openRunEnv(rt, base), {});
    io.out(planHeadlines(plan));

    heading('3. masync sync: apply it');
    const first = await sync();

    heading('4. masync sync again: nothing changed at any source, so neither sink should be written to');
    await sync();

    const source = parts.find((p) => p.changes);
    const [gone] = source?.changes?.deleteVersions(1) ?? [];
    if (source && gone) {
      heading(`5. a version is deleted in ${source.config.name}; the next sync retires its records, and deletes none`);
      const before = sinks.map((s) => s.view.record(gone));
      const retired = await sync();
      // The retirements as the plan shows them; findings and notes come in their own steps.
      io.out(renderPlan({ ...(retired.plan ?? plan), findings: [], notes: [] }, { color: io.color }).trimEnd());
      sinks.forEach((s, i) => {
        const after = s.view.record(gone);
        const was = before[i];
        io.out(`${s.config.name}: "${after?.name ?? '?'}" (${after?.id ?? 'missing!'}) ${was ? s.view.retiredLabel(was) : '?'} → ${after ? s.view.retiredLabel(after) : '?'}; still there.`);
        const d = s.view.deletes();
        io.out(`  DELETE requests it received: ${d.records} for records, ${d.relations} for relations`);
      });
    }

    heading('6. query-character safety: names that are query syntax touch only their own record');
    for (const s of sinks) {
      const { why, records } = s.view.hazards();
      io.out(`${s.config.name} (${s.config.type}): ${why}`);
      const width = Math.max(...records.map((h) => h.name.length));
      for (const h of records) io.out(`  ${h.name.padEnd(width)}  ${h.owner === 'masync' ? `masync's own record ${h.id}` : `a person's record ${h.id}, written ${h.writes} time(s)`}`);
    }

    heading('7. masync findings: what the deployments waste, from the state file');
    io.out((await io.command(['findings'], cmdEnv)).trimEnd());

    const shown = deploymentToShow(first.plan ?? plan, sinks[0]);
    if (shown && sinks[0]) {
      heading(`8. one deployment in ${sinks[0].config.name}, as its CI shows it: link, cost, invocations, findings`);
      io.out(`${shown.name} (${shown.id})\n${recordText(shown)}`);
    }

    heading('9. masync status');
    io.out((await io.command(['status', '--limit', '5'], cmdEnv)).trimEnd());

    heading(opts.keep ? 'The sandbox is running' : 'Done');
    if (opts.keep) {
      io.out(`Try:  set -a; . ${box.envFile}; set +a; export MASYNC_CONFIG=${box.configFile}`);
      io.out('      npx masync plan;  npx masync findings --json;  npx masync doctor');
      io.out('Press Ctrl-C to stop the emulators.');
      return box;
    }
    io.out('Run the tests with `npm test`, the benchmark with `npm run bench`; keep the emulators running with `npx masync demo --keep`.');
    await box.stop();
    return undefined;
  } catch (err) {
    await box.stop();
    throw err;
  } finally {
    rt?.close();
  }
}

/** The costliest finding on a deployment whose record relates to the version it serves. */
function deploymentToShow(plan: Plan, sink: ViewedSink | undefined) {
  if (!sink) return undefined;
  const kinds = new Map(plan.ops.map((o) => [o.key, o.kind]));
  for (const f of plan.findings) {
    if (kinds.get(f.key) !== 'deployment' || f.monthlyWaste === undefined) continue;
    const r = sink.view.record(f.key);
    if (r && r.relations.length > 0) return r;
  }
  return undefined;
}

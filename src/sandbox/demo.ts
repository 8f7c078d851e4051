import { computePlan } from '../app/compute-plan';
import type { Registry } from '../app/runtime';
import { renderStatus, statusReport } from '../app/status';
import { runLine } from '../app/run-text';
import type { SyncResult } from '../app/sync-run';
import { openRunEnv } from '../app/run-env';
import { renderPlan } from '../engine/render';
import { createLogger } from '../log/logger';
import { openSandboxRuntime, sandboxBase, startSandbox, syncSandbox, type Sandbox } from './sandbox';

export interface DemoIO {
  out(text: string): void;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  registry: Registry;
  signal: AbortSignal;
  color: boolean;
}

/**
 * The guided tour `npm start` runs: plan, sync, sync again (no writes),
 * remove a version in MLflow and watch its CI retire (not delete). Returns
 * the sandbox still running when `keep` is set, so a person can try commands.
 */
export async function runDemo(io: DemoIO, opts: { keep: boolean; dir?: string }): Promise<Sandbox | undefined> {
  const box = await startSandbox({ dir: opts.dir });
  const heading = (s: string) => io.out(`\n${io.color ? `\x1b[1m${s}\x1b[0m` : s}\n${'─'.repeat(Math.min(s.length, 78))}`);
  // Warnings matter in the demo (an owner not found in the CMDB); chatter does not.
  const rt = openSandboxRuntime(box, { registry: io.registry, env: io.env, makeLogger: (redactor) => createLogger({ level: 'warn', format: 'human', redactor, stream: io.stderr }) });
  const base = sandboxBase(rt, io.signal);
  const sync = () => syncSandbox(rt, base);
  try {
    heading('masync sandbox');
    io.out(`MLflow emulator      ${box.mlflow.url}  (${box.seeded.models} registered models, ${box.seeded.versions} versions, one named "fraud^ORname=x")`);
    io.out(`ServiceNow emulator  ${box.servicenow.url}  (CSDM 5 AI classes, users alice/bob/carol, unmanaged CIs that must stay untouched)`);
    io.out(`config               ${box.configFile}`);

    heading('1. masync plan: what a sync would change');
    const { plan } = await computePlan(rt, openRunEnv(rt, base), {});
    io.out(renderPlan(plan, { color: io.color, fields: false }).trimEnd());
    io.out(`(\`masync plan -c ${box.configFile}\` also lists every field of every record.)`);

    heading('2. masync sync: apply it');
    io.out(line(await sync()));

    heading('3. masync sync again: nothing changed, so nothing is written');
    const again = await sync();
    io.out(line(again));

    heading('4. delete fraud-detector version 1 in MLflow, then sync');
    const before = ciFor(box, 'fraud-detector v1');
    box.mlflow.deleteVersion('fraud-detector', '1');
    const retired = await sync();
    io.out(renderPlan(retired.plan ?? plan, { color: io.color }).trimEnd());
    io.out(line(retired));
    const after = ciFor(box, 'fraud-detector v1');
    io.out(`CI ${after?.sys_id ?? '?'} "${after?.name ?? '?'}": install_status ${before?.install_status ?? '?'} → ${after?.install_status ?? '?'} (7 = Retired), still in the CMDB.`);
    io.out(`DELETE requests masync sent to ServiceNow: ${box.servicenow.server.count('DELETE')}`);

    heading('5. query-character safety');
    const odd = ciFor(box, 'fraud^ORname=x');
    io.out(`The model "fraud^ORname=x" has its own CI (${odd?.sys_id ?? 'missing!'}, correlation_id ${odd?.correlation_id ?? '?'}).`);
    const x = box.servicenow.get('cmdb_ci', box.cmdb.unmanaged.x);
    io.out(`The unmanaged CI named "x" still has discovery_source "${x?.discovery_source ?? '?'}" and was written ${writesTo(box, box.cmdb.unmanaged.x)} time(s).`);

    heading('6. masync status');
    io.out(renderStatus(statusReport(rt.db, 5)).trimEnd());

    heading(opts.keep ? 'Sandbox is running' : 'Done');
    if (opts.keep) {
      io.out(`Try:  set -a; . ${box.envFile}; set +a; npx masync plan -c ${box.configFile}`);
      io.out('Press Ctrl-C to stop the emulators.');
      return box;
    }
    io.out('Run the tests with `npm test`; keep the emulators running with `npx masync demo --keep`.');
    await box.stop();
    return undefined;
  } catch (err) {
    await box.stop();
    throw err;
  } finally {
    rt.close();
  }
}

function line(r: SyncResult): string {
  return [runLine(r), ...r.errors.map((e) => `error: ${e}`)].join('\n');
}

function ciFor(box: Sandbox, name: string) {
  return box.servicenow.list('cmdb_ci').find((r) => r.name === name && r.discovery_source === 'masync');
}

function writesTo(box: Sandbox, sysId: string): number {
  return box.servicenow.server.requests.filter((r) => r.method !== 'GET' && r.path.endsWith(`/${sysId}`)).length;
}

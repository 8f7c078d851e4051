import { sandboxParts } from '../../connectors/sandbox';
import { startSandbox, type PartsOf, type Sandbox } from '../../src/sandbox/sandbox';
import { runCli } from './cli';

export type ReportSandbox = Sandbox<PartsOf<typeof sandboxParts>>;

/** The whole sandbox `npm start` shows: every source, both AWS enrichers (a zombie among the endpoints) and both sinks. */
export async function startReportSandbox(): Promise<ReportSandbox> {
  const box = await startSandbox(sandboxParts);
  const init = await runCli(['init', box.configFile, '--sink', 'assets-sandbox', '--apply-schema'], box.env);
  if (init.code !== 0) throw new Error(`init --apply-schema failed (${init.code}):\n${init.stderr}`);
  return box;
}

/**
 * Two syncs, as a team's week would have them: the first finds everything; then a version is
 * deleted and another promoted to Production (which nothing serves), and the second sync retires
 * the one and raises a finding on the other — what "changed in the last run" shows.
 */
export async function syncTwice(box: ReportSandbox): Promise<void> {
  const sync = async () => {
    const r = await runCli(['sync', '--json', '-c', box.configFile], box.env);
    if (r.code !== 0 && r.code !== 3) throw new Error(`sync failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  };
  await sync();
  box.parts.mlflow.emulator.deleteVersion('fraud-detector', '1');
  box.parts.mlflow.emulator.transitionStage('churn-predictor', '3', 'Production', true);
  await sync();
}

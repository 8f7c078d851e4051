import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { CloudWatchEmulator } from '../../connectors/enrichers/cloudwatch/emulator';
import { daysAgo } from '../../connectors/enrichers/cloudwatch/fixtures/sandbox-endpoints';
import { SANDBOX_ACCOUNT, SANDBOX_KEYS } from '../../connectors/sources/sagemaker/fixtures/sandbox';
import { startSageMakerSandbox } from '../../connectors/sources/sagemaker/sandbox';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { runCli } from './cli';

/** The SageMaker sandbox's endpoints with traffic; credit-risk-nightly gets none (the zombie). */
const BUSY: ReadonlyArray<{ region: string; endpoint: string; variants: string[] }> = [
  { region: 'us-east-1', endpoint: 'fraud-detector-prod', variants: ['AllTraffic'] },
  { region: 'us-east-1', endpoint: 'fraud-ab-test', variants: ['champion', 'challenger'] },
  { region: 'us-east-1', endpoint: 'churn-scoring', variants: ['AllTraffic'] },
  { region: 'us-east-1', endpoint: 'credit-risk-canary', variants: ['AllTraffic'] },
  { region: 'us-east-1', endpoint: 'sentiment-poc', variants: ['AllTraffic'] },
  { region: 'us-east-1', endpoint: 'shared-llm-host', variants: ['AllTraffic'] },
  { region: 'eu-west-1', endpoint: 'churn-scoring-eu', variants: ['AllTraffic'] },
];
const WINDOW_DAYS = 14;

export interface ReportSandbox {
  box: Sandbox;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The sandbox (MLflow and ServiceNow) with what a report shows beyond them:
 * the SageMaker part (endpoints priced from the price table, a shadow
 * endpoint, one serving a rejected package) and CloudWatch traffic for its
 * endpoints, one idle for the whole window (a zombie). A stopgap while the
 * sandbox learns to compose every connector: then startSandbox alone does.
 */
export async function startReportSandbox(): Promise<ReportSandbox> {
  const box = await startSandbox();
  const sagemaker = await startSageMakerSandbox({});
  const cloudwatch = new CloudWatchEmulator({ credentials: [{ ...SANDBOX_KEYS, account: SANDBOX_ACCOUNT }] });
  const now = new Date();
  for (const [i, e] of BUSY.entries()) {
    for (const variant of e.variants) {
      for (let d = 0; d <= WINDOW_DAYS + 1; d++) cloudwatch.addInvocations({ account: SANDBOX_ACCOUNT, region: e.region, endpoint: e.endpoint, variant, day: daysAgo(now, d), count: 200 + ((i * 97 + d * 31) % 700) });
    }
  }
  await cloudwatch.start();
  const config = parse(readFileSync(box.configFile, 'utf8')) as { sources: unknown[]; enrichers?: unknown[] };
  config.sources.push(sagemaker.config);
  config.enrichers = [
    {
      name: 'cloudwatch',
      type: 'cloudwatch',
      endpoint: cloudwatch.url,
      accounts: [{ id: SANDBOX_ACCOUNT, regions: ['us-east-1', 'eu-west-1'] }],
      credentials: { accessKeyId: '${MASYNC_SANDBOX_AWS_ACCESS_KEY_ID}', secretAccessKey: '${MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY}' },
      windowDays: WINDOW_DAYS,
    },
  ];
  writeFileSync(box.configFile, stringify(config));
  return {
    box,
    env: { ...box.env, ...sagemaker.env },
    stop: async () => {
      await Promise.all([box.stop(), sagemaker.stop(), cloudwatch.stop()]);
    },
  };
}

/**
 * Two syncs, as a team's week would have them: the first finds everything; then a version is
 * deleted and another promoted to Production (which nothing serves), and the second sync retires
 * the one and raises a finding on the other — what "changed in the last run" shows.
 */
export async function syncTwice(s: ReportSandbox): Promise<void> {
  const sync = async () => {
    const r = await runCli(['sync', '--json', '-c', s.box.configFile], s.env);
    if (r.code !== 0 && r.code !== 3) throw new Error(`sync failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  };
  await sync();
  s.box.mlflow.deleteVersion('fraud-detector', '1');
  s.box.mlflow.transitionStage('churn-predictor', '3', 'Production', true);
  await sync();
}

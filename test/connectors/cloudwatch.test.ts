import { cloudwatchEnricher } from '../../connectors/enrichers/cloudwatch';
import { CLOUDWATCH_EMULATOR_CREDENTIALS, CloudWatchEmulator, type CloudWatchEmulatorOptions } from '../../connectors/enrichers/cloudwatch/emulator';
import { standaloneContext, type SourceContext } from '../../src/engine/types';
import { AuthError } from '../../src/errors';
import type { DeploymentItem, InventoryItem } from '../../src/inventory';
import { fixedClock, testDeps } from '../support/deps';

const ACCOUNT = CLOUDWATCH_EMULATOR_CREDENTIALS.account;
// Window for this clock: 14 full days, 2026-11-09 … 2026-11-22.
const NOW = '2026-11-23T12:00:00.000Z';
const FIRST_DAY = '2026-11-09';
const LAST_DAY = '2026-11-22';

const running: CloudWatchEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function emulator(seed: (e: CloudWatchEmulator) => void = () => {}, opts: CloudWatchEmulatorOptions = {}): Promise<CloudWatchEmulator> {
  const emu = new CloudWatchEmulator(opts);
  seed(emu);
  await emu.start();
  running.push(emu);
  return emu;
}

function deployment(endpoint: string, extra: Partial<DeploymentItem> = {}): DeploymentItem {
  const region = extra.region ?? 'eu-west-1';
  const account = extra.account ?? ACCOUNT;
  return {
    kind: 'deployment',
    key: `sagemaker://${account}/${region}/endpoints/${endpoint}${extra.component ? `/components/${extra.component}` : ''}`,
    source: 'sagemaker',
    name: endpoint,
    observedAt: NOW,
    tags: {},
    links: {},
    endpoint,
    status: 'InService',
    account,
    region,
    variants: [{ name: 'AllTraffic', served: [] }],
    ...extra,
  };
}

/** The real factory and SDK client, pointed at the emulator, with a context that records failed scopes. */
function connect(emu: CloudWatchEmulator, extra: Record<string, unknown> = {}) {
  const deps = testDeps({ clock: fixedClock(NOW) });
  const config = cloudwatchEnricher.schema.parse({
    name: 'cw',
    type: 'cloudwatch',
    accounts: [{ id: ACCOUNT }],
    credentials: { accessKeyId: CLOUDWATCH_EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: CLOUDWATCH_EMULATOR_CREDENTIALS.secretAccessKey },
    endpoint: emu.url,
    ...extra,
  });
  const failed: Array<{ scope: string; error: unknown }> = [];
  const ctx: SourceContext = {
    ...standaloneContext(deps.logger, deps.clock),
    scopeFailed: (scope, error) => void failed.push({ scope, error }),
    skipped: (r) => {
      throw new Error(`unexpected skip of ${r.item}`);
    },
  };
  return { deps, ctx, failed, enricher: cloudwatchEnricher.create(config, deps) };
}

const usageOf = async (emu: CloudWatchEmulator, items: InventoryItem[], extra: Record<string, unknown> = {}) => {
  const c = connect(emu, extra);
  const facts = await c.enricher.enrich(items, c.ctx);
  return { ...c, facts };
};

describe('cloudwatch enricher: usage from GetMetricData', () => {
  it('sums variants day by day, oldest first, reading a missing datapoint as zero', async () => {
    const emu = await emulator((e) => {
      e.addInvocations({ region: 'eu-west-1', endpoint: 'busy', variant: 'blue', day: '2026-11-10', count: 5 });
      e.addInvocations({ region: 'eu-west-1', endpoint: 'busy', variant: 'green', day: '2026-11-10', count: 2 });
      e.addInvocations({ region: 'eu-west-1', endpoint: 'busy', variant: 'green', day: '2026-11-20', count: 3 });
    });
    const busy = deployment('busy', { variants: [{ name: 'blue', served: [] }, { name: 'green', served: [] }] });
    const { facts, failed } = await usageOf(emu, [busy, deployment('idle')]);

    expect(failed).toEqual([]);
    const usage = facts.usage.get(busy.key);
    expect(usage).toEqual({ windowDays: 14, invocations: 10, daily: [0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0], lastInvocationDay: '2026-11-20', windowEnd: LAST_DAY });
    // No datapoint at all is zero traffic, not unknown: the zombie policy may act on it.
    expect(facts.usage.get(deployment('idle').key)).toEqual({ windowDays: 14, invocations: 0, daily: Array(14).fill(0), windowEnd: LAST_DAY });
    expect(facts.cost.size).toBe(0);
  });

  it('counts traffic on the first day of the window, and not the day before it', async () => {
    const emu = await emulator((e) => {
      e.addInvocations({ region: 'eu-west-1', endpoint: 'edge', variant: 'AllTraffic', day: FIRST_DAY, count: 4 });
      e.addInvocations({ region: 'eu-west-1', endpoint: 'before', variant: 'AllTraffic', day: '2026-11-08', count: 9 });
      e.addInvocations({ region: 'eu-west-1', endpoint: 'today', variant: 'AllTraffic', day: '2026-11-23', count: 9 });
    });
    const { facts } = await usageOf(emu, [deployment('edge'), deployment('before'), deployment('today')]);

    expect(facts.usage.get(deployment('edge').key)).toMatchObject({ invocations: 4, lastInvocationDay: FIRST_DAY });
    expect(facts.usage.get(deployment('edge').key)?.daily[0]).toBe(4);
    expect(facts.usage.get(deployment('before').key)).toMatchObject({ invocations: 0 });
    expect(facts.usage.get(deployment('before').key)?.lastInvocationDay).toBeUndefined();
    // Today is not over: its traffic waits for tomorrow's run.
    expect(facts.usage.get(deployment('today').key)).toMatchObject({ invocations: 0 });
  });

  it('follows windowDays, so the window can cover the zombie policy\'s idle days', async () => {
    const emu = await emulator((e) => e.addInvocations({ region: 'eu-west-1', endpoint: 'ep', variant: 'AllTraffic', day: '2026-10-25', count: 1 }));
    const { facts } = await usageOf(emu, [deployment('ep')], { windowDays: 30 });
    expect(facts.usage.get(deployment('ep').key)).toMatchObject({ windowDays: 30, invocations: 1, lastInvocationDay: '2026-10-25', windowEnd: LAST_DAY });
  });

  it('reads inference components by InferenceComponentName', async () => {
    const emu = await emulator((e) => {
      e.addComponentInvocations({ region: 'eu-west-1', component: 'llm-ic', day: '2026-11-21', count: 6 });
      e.addInvocations({ region: 'eu-west-1', endpoint: 'shared', variant: 'AllTraffic', day: '2026-11-21', count: 99 });
    });
    const ic = deployment('shared', { component: 'llm-ic' });
    const { facts } = await usageOf(emu, [ic]);
    expect(facts.usage.get(ic.key)).toMatchObject({ invocations: 6, lastInvocationDay: '2026-11-21' });
  });

  it('splits more than 500 series into several calls, each within the limits, and maps every id back', async () => {
    const emu = await emulator((e) => {
      for (let i = 0; i < 620; i++) e.addInvocations({ region: 'eu-west-1', endpoint: `ep-${i}`, variant: 'AllTraffic', day: '2026-11-15', count: i + 1 });
    });
    const items = Array.from({ length: 620 }, (_, i) => deployment(`ep-${i}`));
    const { facts, failed } = await usageOf(emu, items);

    expect(failed).toEqual([]);
    expect(emu.calls.map((c) => c.queries)).toEqual([500, 120]);
    expect(emu.calls.every((c) => c.status === 200)).toBe(true);
    for (const i of [0, 499, 500, 619]) expect(facts.usage.get(items[i]?.key ?? '')?.invocations).toBe(i + 1);
  });

  it('keeps every call under 100,800 datapoints for long windows', async () => {
    const emu = await emulator();
    const items = Array.from({ length: 300 }, (_, i) => deployment(`ep-${i}`));
    await usageOf(emu, items, { windowDays: 400 });
    // floor(100800 / 400) = 252 series a call.
    expect(emu.calls.map((c) => c.queries)).toEqual([252, 48]);
  });

  it('follows NextToken pages, merging a series split across them', async () => {
    const emu = await emulator(
      (e) => {
        for (const day of ['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13']) {
          e.addInvocations({ region: 'eu-west-1', endpoint: 'a', variant: 'AllTraffic', day, count: 1 });
          e.addInvocations({ region: 'eu-west-1', endpoint: 'b', variant: 'AllTraffic', day, count: 10 });
        }
      },
      { pageLimit: 3 },
    );
    const { facts } = await usageOf(emu, [deployment('a'), deployment('b'), deployment('c')]);

    expect(emu.calls.map((c) => c.continued)).toEqual([false, true, true]);
    expect(facts.usage.get(deployment('a').key)?.invocations).toBe(4);
    expect(facts.usage.get(deployment('b').key)?.invocations).toBe(40);
    expect(facts.usage.get(deployment('c').key)?.invocations).toBe(0);
  });

  it('leaves usage unknown (not zero) for a series answered Forbidden, InternalError or PartialData', async () => {
    const emu = await emulator((e) => {
      e.addInvocations({ region: 'eu-west-1', endpoint: 'partial', variant: 'AllTraffic', day: '2026-11-12', count: 3 });
      e.setVariantStatus({ region: 'eu-west-1', endpoint: 'partial', variant: 'AllTraffic' }, 'PartialData');
      e.setVariantStatus({ region: 'eu-west-1', endpoint: 'denied', variant: 'AllTraffic' }, 'Forbidden');
      e.setVariantStatus({ region: 'eu-west-1', endpoint: 'broken', variant: 'b' }, 'InternalError');
    });
    const broken = deployment('broken', { variants: [{ name: 'a', served: [] }, { name: 'b', served: [] }] });
    const { facts, failed, deps } = await usageOf(emu, [deployment('partial'), deployment('denied'), broken, deployment('fine')]);

    expect(failed).toEqual([]);
    expect([...facts.usage.keys()]).toEqual([deployment('fine').key]);
    const warnings = deps.logger.lines.filter((l) => l.startsWith('warn'));
    expect(warnings.some((l) => l.includes(deployment('denied').key) && l.includes('Forbidden'))).toBe(true);
    expect(warnings.some((l) => l.includes(broken.key) && l.includes('InternalError') && l.includes('variant b'))).toBe(true);
    expect(warnings.some((l) => l.includes(deployment('partial').key) && l.includes('PartialData'))).toBe(true);
  });

  it('rides out throttling (400 Throttling) and then succeeds', async () => {
    const emu = await emulator((e) => {
      e.addInvocations({ region: 'eu-west-1', endpoint: 'ep', variant: 'AllTraffic', day: '2026-11-14', count: 8 });
      e.throttleNext(2);
    });
    const { facts, failed } = await usageOf(emu, [deployment('ep')]);
    expect(failed).toEqual([]);
    expect(emu.calls.map((c) => c.status)).toEqual([400, 400, 200]);
    expect(facts.usage.get(deployment('ep').key)?.invocations).toBe(8);
  });

  it('reads each region on its own and reports a refused region as a failed scope, keeping the others', async () => {
    const emu = await emulator((e) => {
      e.addInvocations({ region: 'eu-west-1', endpoint: 'ep', variant: 'AllTraffic', day: '2026-11-14', count: 1 });
      e.addInvocations({ region: 'us-east-1', endpoint: 'ep', variant: 'AllTraffic', day: '2026-11-14', count: 2 });
      e.addInvocations({ region: 'ap-south-1', endpoint: 'ep', variant: 'AllTraffic', day: '2026-11-14', count: 3 });
      e.denyRegion('ap-south-1');
    });
    const eu = deployment('ep');
    const us = deployment('ep', { region: 'us-east-1' });
    const ap = deployment('ep', { region: 'ap-south-1' });
    const { facts, failed } = await usageOf(emu, [eu, us, ap]);

    expect(facts.usage.get(eu.key)?.invocations).toBe(1);
    expect(facts.usage.get(us.key)?.invocations).toBe(2);
    expect(facts.usage.has(ap.key)).toBe(false);
    expect(failed.map((f) => f.scope)).toEqual([`${ACCOUNT}/ap-south-1`]);
    expect(failed[0]?.error).toBeInstanceOf(AuthError);
    expect(String((failed[0]?.error as Error).message)).toMatch(/cw: 123456789012\/ap-south-1 GetMetricData: AccessDenied/);
    expect(new Set(emu.calls.map((c) => c.region))).toEqual(new Set(['eu-west-1', 'us-east-1', 'ap-south-1']));
  });

  it('fails every scope when the credentials are wrong, and never logs a secret', async () => {
    const emu = await emulator();
    const c = connect(emu, { credentials: { accessKeyId: CLOUDWATCH_EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret-9f2a' } });
    const facts = await c.enricher.enrich([deployment('ep')], c.ctx);
    expect(facts.usage.size).toBe(0);
    expect(c.failed).toHaveLength(1);
    expect((c.failed[0]?.error as Error).message).toMatch(/SignatureDoesNotMatch|InvalidSignatureException/);
    const everything = [...c.deps.logger.lines, ...c.failed.map((f) => (f.error as Error).message)].join('\n');
    expect(everything).not.toContain('not-the-secret-9f2a');
    expect(everything).not.toContain(CLOUDWATCH_EMULATOR_CREDENTIALS.secretAccessKey);
  });

  it('names deployments it cannot read: no variant, an account or region not configured', async () => {
    const emu = await emulator();
    const items = [deployment('novariant', { variants: [] }), deployment('other', { account: '999999999999' }), deployment('far', { region: 'sa-east-1' })];
    const { facts, deps } = await usageOf(emu, items, { regions: ['eu-west-1'] });
    expect(facts.usage.size).toBe(0);
    expect(emu.calls).toHaveLength(0);
    const warnings = deps.logger.lines.filter((l) => l.startsWith('warn')).join('\n');
    expect(warnings).toContain('no production variant');
    expect(warnings).toContain('account 999999999999 is not listed under accounts');
    expect(warnings).toContain('region sa-east-1 is not listed under regions');
  });
});

describe('cloudwatch enricher: doctor', () => {
  it('probes each account and region, and says what to grant when refused', async () => {
    const emu = await emulator((e) => e.denyRegion('eu-central-1'));
    const { enricher, ctx } = connect(emu, { regions: ['eu-west-1', 'eu-central-1'] });
    const results = await enricher.check(ctx);
    expect(results.map((r) => [r.check, r.ok])).toEqual([
      [`CloudWatch GetMetricData in ${ACCOUNT}/eu-west-1`, true],
      [`CloudWatch GetMetricData in ${ACCOUNT}/eu-central-1`, false],
    ]);
    expect(results[1]?.hint).toContain('grant cloudwatch:GetMetricData');
  });
});

describe('cloudwatch enricher: config', () => {
  const base = { name: 'cw', type: 'cloudwatch', accounts: [{ id: ACCOUNT }] };
  it('defaults to a 14-day window', () => {
    expect(cloudwatchEnricher.schema.parse(base)).toMatchObject({ windowDays: 14, concurrency: 4 });
  });

  it('refuses credentials in the endpoint URL, a repeated account and a window CloudWatch cannot answer', () => {
    const problems = (extra: Record<string, unknown>) => {
      const r = cloudwatchEnricher.schema.safeParse({ ...base, ...extra });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems({ endpoint: 'http://AKIA:secret@127.0.0.1:4566' })).toEqual(['endpoint: a URL without credentials (they belong in the connector credential keys, which are redacted)']);
    expect(problems({ accounts: [{ id: ACCOUNT }, { id: ACCOUNT }] })).toEqual([`accounts.1.id: account ${ACCOUNT} is listed twice`]);
    expect(problems({ windowDays: 456 })).toHaveLength(1);
    expect(problems({ accounts: [{ id: '12345' }] })).toEqual(['accounts.0.id: a 12-digit AWS account id, in quotes ("012345678901") so YAML keeps leading zeros']);
  });
});

import { costExplorerEnricher, minimumRequests } from '../../connectors/enrichers/cost-explorer';
import { COST_EXPLORER_EMULATOR_CREDENTIALS, CostExplorerEmulator, type CostExplorerEmulatorOptions } from '../../connectors/enrichers/cost-explorer/emulator';
import { costWindow } from '../../connectors/enrichers/cost-explorer/period';
import { memoryCache, standaloneContext, type ConnectorCache, type SourceContext } from '../../src/engine/types';
import type { DeploymentItem } from '../../src/inventory';
import { fixedClock, testDeps } from '../support/deps';

const PAYER = COST_EXPLORER_EMULATOR_CREDENTIALS.account;
const MEMBER = '111122223333';
const TAG = 'masync:endpoint';
// 30 full days for this clock: 2026-10-24 … 2026-11-22. October is final, November still Estimated.
const NOW = '2026-11-23T12:00:00.000Z';
const WINDOW = costWindow(new Date(NOW), 30);

const running: CostExplorerEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function emulator(seed: (e: CostExplorerEmulator) => void, opts: CostExplorerEmulatorOptions = {}): Promise<CostExplorerEmulator> {
  const emu = new CostExplorerEmulator({ clock: () => new Date(NOW), pageSize: 4, ...opts });
  emu.activateTag(TAG, '2026-01-01');
  seed(emu);
  await emu.start();
  running.push(emu);
  return emu;
}

function deployment(endpoint: string, extra: Partial<DeploymentItem> = {}): DeploymentItem {
  const account = extra.account ?? PAYER;
  const region = extra.region ?? 'us-east-1';
  return {
    kind: 'deployment',
    key: `sagemaker://${account}/${region}/endpoints/${endpoint}`,
    source: 'sagemaker',
    name: endpoint,
    observedAt: NOW,
    tags: {},
    links: {},
    endpoint,
    status: 'InService',
    account,
    region,
    arn: `arn:aws:sagemaker:${region}:${account}:endpoint/${endpoint.toLowerCase()}`,
    ...extra,
  };
}

function connect(emu: CostExplorerEmulator, opts: { cache?: ConnectorCache; full?: boolean; secret?: string; extra?: Record<string, unknown> } = {}) {
  const deps = testDeps({ clock: fixedClock(NOW) });
  const config = costExplorerEnricher.schema.parse({
    name: 'ce',
    type: 'cost-explorer',
    accounts: [{ id: PAYER }],
    credentials: { accessKeyId: COST_EXPLORER_EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: opts.secret ?? COST_EXPLORER_EMULATOR_CREDENTIALS.secretAccessKey },
    endpoint: emu.url,
    ...opts.extra,
  });
  const failed: Array<{ scope: string; error: unknown }> = [];
  const ctx: SourceContext = {
    ...standaloneContext(deps.logger, deps.clock),
    cache: opts.cache ?? memoryCache(),
    full: opts.full ?? false,
    scopeFailed: (scope, error) => void failed.push({ scope, error }),
    skipped: (r) => {
      throw new Error(`unexpected skip of ${r.item}`);
    },
  };
  return { deps, ctx, failed, enricher: costExplorerEnricher.create(config, deps) };
}

/** Every day of the window: `amount` a day on a resource tagged `tags`. */
function daily(emu: CostExplorerEmulator, amount: number, tags: Record<string, string>, extra: { account?: string } = {}) {
  for (const day of WINDOW) emu.addCost({ day, amount, tags, ...extra });
}

describe('cost-explorer enricher: cost per tagged endpoint', () => {
  it('groups by the tag across pages, by name or ARN, ignoring untagged cost and other services', async () => {
    const emu = await emulator((e) => {
      daily(e, 2, { [TAG]: 'fraud-ep' });
      daily(e, 1.5, { [TAG]: deployment('Churn-EP').arn as string });
      daily(e, 7, {});
      daily(e, 9, { [TAG]: 'fraud-ep' }, { account: PAYER });
      for (const day of WINDOW) e.addCost({ day, amount: 100, tags: { [TAG]: 'fraud-ep' }, service: 'Amazon Elastic Compute Cloud - Compute' });
    });
    const fraud = deployment('fraud-ep');
    const churn = deployment('Churn-EP');
    const untagged = deployment('untagged-ep');
    const { enricher, ctx, failed, deps } = connect(emu);
    const facts = await enricher.enrich([fraud, churn, untagged], ctx);

    expect(failed).toEqual([]);
    expect(facts.cost.get(fraud.key)).toEqual({ monthly: 330, currency: 'USD', estimated: false, basis: `cost-explorer tag ${TAG}: UnblendedCost over 30 day(s)` });
    expect(facts.cost.get(churn.key)?.monthly).toBe(45);
    expect(facts.cost.has(untagged.key)).toBe(false);
    expect(facts.usage.size).toBe(0);
    // 30 days × (2 tag groups + 1 untagged) in pages of 4: several pages, every one of them answered.
    expect(emu.calls.length).toBeGreaterThan(5);
    expect(emu.calls.every((c) => c.status === 200 && c.start === WINDOW[0] && c.end === '2026-11-23')).toBe(true);
    expect(deps.logger.lines.some((l) => l.includes(`${emu.calls.length} GetCostAndUsage request(s) this run (US$${(emu.calls.length / 100).toFixed(2)})`))).toBe(true);
  });

  it('sends every page the very same request, so Cost Explorer never answers RequestChangedException', async () => {
    const emu = await emulator((e) => {
      for (let i = 0; i < 5; i++) daily(e, 1, { [TAG]: `ep-${i}` });
    });
    const { enricher, ctx } = connect(emu);
    await enricher.enrich([deployment('ep-0')], ctx);

    const bodies = emu.server.requests.map((r) => r.body as Record<string, unknown>);
    expect(bodies.length).toBeGreaterThan(1);
    const withoutToken = bodies.map(({ NextPageToken: _t, ...rest }) => JSON.stringify(rest));
    expect(new Set(withoutToken).size).toBe(1);
    expect(bodies.slice(1).every((b) => typeof b.NextPageToken === 'string')).toBe(true);
    expect(emu.calls.every((c) => c.status === 200)).toBe(true);
  });

  it('caches final days and asks only for the open ones on the next run', async () => {
    const emu = await emulator((e) => daily(e, 3, { [TAG]: 'ep' }));
    const cache = memoryCache();
    const first = connect(emu, { cache });
    const one = await first.enricher.enrich([deployment('ep')], first.ctx);
    expect(emu.calls.filter((c) => !c.continued).map((c) => c.start)).toEqual(['2026-10-24']);

    emu.calls.length = 0;
    const second = connect(emu, { cache });
    const two = await second.enricher.enrich([deployment('ep')], second.ctx);
    // October is final and cached: only November, still Estimated, is asked again.
    expect(emu.calls.filter((c) => !c.continued).map((c) => [c.start, c.end])).toEqual([['2026-11-01', '2026-11-23']]);
    expect(two.cost.get(deployment('ep').key)).toEqual(one.cost.get(deployment('ep').key));
    expect(minimumRequests(WINDOW, new Set(WINDOW.filter((d) => d < '2026-11-01')))).toBe(1);

    // Once Billing closes November, one more read makes every day final; after that, none is needed.
    emu.setFinalBefore('2026-11-23');
    emu.calls.length = 0;
    const third = connect(emu, { cache });
    await third.enricher.enrich([deployment('ep')], third.ctx);
    expect(emu.calls.filter((c) => !c.continued).map((c) => c.start)).toEqual(['2026-11-01']);
    emu.calls.length = 0;
    const fourth = connect(emu, { cache });
    const four = await fourth.enricher.enrich([deployment('ep')], fourth.ctx);
    expect(emu.calls).toEqual([]);
    expect(four.cost.get(deployment('ep').key)?.monthly).toBe(90);
    expect(minimumRequests(WINDOW, new Set(WINDOW))).toBe(0);

    // A full read trusts no cache.
    const full = connect(emu, { cache, full: true });
    await full.enricher.enrich([deployment('ep')], full.ctx);
    expect(emu.calls.filter((c) => !c.continued).map((c) => c.start)).toEqual(['2026-10-24']);
  });

  it('rides out LimitExceededException throttling and then succeeds', async () => {
    const emu = await emulator((e) => {
      daily(e, 1, { [TAG]: 'ep' });
      e.throttleNext(1);
    });
    const { enricher, ctx, failed } = connect(emu, { extra: { windowDays: 2 } });
    const facts = await enricher.enrich([deployment('ep')], ctx);
    expect(failed).toEqual([]);
    expect(emu.calls.map((c) => c.status)).toEqual([400, 200]);
    expect(facts.cost.get(deployment('ep').key)?.monthly).toBe(30);
  });

  it('scales a deployment that started within the window to 30 days, and says so', async () => {
    const emu = await emulator((e) => {
      for (const day of WINDOW.slice(-10)) e.addCost({ day, amount: 4, tags: { [TAG]: 'new-ep' } });
    });
    const { enricher, ctx } = connect(emu);
    const facts = await enricher.enrich([deployment('new-ep')], ctx);
    expect(facts.cost.get(deployment('new-ep').key)).toMatchObject({ monthly: 120, basis: `cost-explorer tag ${TAG}: UnblendedCost over 10 day(s), scaled to 30 days` });
  });

  it('matches a name within the linked account it was billed in, and attributes a shared name to none', async () => {
    const emu = await emulator((e) => {
      e.joinOrganization(MEMBER, PAYER);
      daily(e, 1, { [TAG]: 'member-ep' }, { account: MEMBER });
      daily(e, 2, { [TAG]: 'twin' });
    });
    const member = deployment('member-ep', { account: MEMBER });
    const sameNameInPayer = deployment('member-ep');
    const twinEast = deployment('twin');
    const twinWest = deployment('twin', { region: 'us-west-2' });
    const { enricher, ctx, deps } = connect(emu);
    const facts = await enricher.enrich([member, sameNameInPayer, twinEast, twinWest], ctx);

    expect(facts.cost.get(member.key)?.monthly).toBe(30);
    expect(facts.cost.has(sameNameInPayer.key)).toBe(false);
    expect(facts.cost.has(twinEast.key)).toBe(false);
    expect(facts.cost.has(twinWest.key)).toBe(false);
    expect(deps.logger.lines.some((l) => l.startsWith('warn') && l.includes(`twin (account ${PAYER})`) && l.includes('ARN'))).toBe(true);
  });

  it('reports an account it cannot read as a failed scope, uses none of its cost, and logs no secret', async () => {
    const emu = await emulator((e) => daily(e, 1, { [TAG]: 'ep' }));
    const { enricher, ctx, failed, deps } = connect(emu, { secret: 'wrong-secret-5e7a' });
    const facts = await enricher.enrich([deployment('ep')], ctx);
    expect(facts.cost.size).toBe(0);
    expect(failed.map((f) => f.scope)).toEqual([PAYER]);
    expect((failed[0]?.error as Error).message).toMatch(/ce: 123456789012 GetCostAndUsage: (SignatureDoesNotMatch|InvalidSignatureException)/);
    const text = [...deps.logger.lines, ...failed.map((f) => (f.error as Error).message)].join('\n');
    expect(text).not.toContain('wrong-secret-5e7a');
  });
});

describe('cost-explorer enricher: doctor', () => {
  it('passes when the tag is active, and says how to tag and activate it when not', async () => {
    const emu = await emulator((e) => e.addCost({ day: WINDOW[0] as string, amount: 1, tags: { team: 'x' } }));
    const active = await connect(emu).enricher.check(connect(emu).ctx);
    expect(active.map((r) => r.ok)).toEqual([true, true]);

    const other = await connect(emu, { extra: { tagKey: 'team' } }).enricher.check(connect(emu).ctx);
    expect(other.map((r) => r.ok)).toEqual([true, false]);
    expect(other[1]?.detail).toBe('the tag is Inactive');
    expect(other[1]?.hint).toContain('Billing → Cost allocation tags');
    expect(emu.calls).toEqual([]);
  });
});

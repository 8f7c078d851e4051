import { registry } from '../../connectors';
import { jiraAssetsSandboxPart } from '../../connectors/sinks/jira-assets/sandbox';
import { wandbSandbox } from '../../connectors/sources/wandb/sandbox';
import { Redactor } from '../../src/http/redact';
import type { CallBound } from '../../src/sandbox/part';
import { openSandboxRuntime, sandboxBase, startSandbox, syncSandbox, type PartsOf, type Sandbox } from '../../src/sandbox/sandbox';
import { MemoryLogger } from '../support/deps';

const SCALE = { models: 30, versionsPerModel: 4 };
const VERSIONS = SCALE.models * SCALE.versionsPerModel;
const parts = { wandb: wandbSandbox, jiraAssets: jiraAssetsSandboxPart({ bootstrapped: true }) };

/**
 * Issue 7: a sync of W&B into Jira Assets makes the calls the two APIs make
 * necessary, counted in the emulators, against each part's bound over what
 * it holds: W&B's GraphQL pages, and Assets' catalog, AQL pages at the
 * largest size, owner searches and one call per record written: a new
 * version's "Model" reference rides in its create, so no relation costs a
 * write of its own.
 */
describe('W&B → Jira Assets: calls held to their bound', () => {
  let box: Sandbox<PartsOf<typeof parts>> | undefined;
  afterEach(() => box?.stop());

  it('a first sync and a no-op re-sync make exactly the bound’s calls, reads and writes', async () => {
    box = await startSandbox(parts, { scale: SCALE });
    const redactor = new Redactor();
    const rt = openSandboxRuntime(box, { registry, env: {}, makeLogger: () => new MemoryLogger(redactor) });
    const { wandb, jiraAssets } = box.parts;
    const sync = async (warm: boolean, since?: Date) => {
      const before = { wandb: wandb.server.requests.length, jira: jiraAssets.server.requests.length };
      const until = new Date();
      const r = await syncSandbox(rt, sandboxBase(rt));
      expect(r.status).toBe('ok');
      const jira = jiraAssets.server.requests.slice(before.jira);
      const reads = jira.filter((q) => q.method === 'GET' || q.path.endsWith('/object/aql')).length;
      const a = r.applied;
      const writes = { records: a.create + a.update + a.retire, relations: a.relate + a.unrelate };
      const bound = (p: { minimumCalls?: (i: { warm: boolean; since?: Date; until?: Date; writes?: typeof writes }) => CallBound }) => p.minimumCalls?.({ warm, since, until, writes });
      return { until, applied: a, wandbCalls: wandb.server.requests.length - before.wandb, jiraReads: reads, jiraWrites: jira.length - reads, wandbBound: bound(wandb), jiraBound: bound(jiraAssets) };
    };
    try {
      const first = await sync(false);
      expect(first.applied).toMatchObject({ create: SCALE.models + VERSIONS, relate: VERSIONS });
      expect(first.wandbCalls).toBe(first.wandbBound?.calls);
      const jb = first.jiraBound as CallBound;
      expect(first.jiraReads).toBe(jb.calls - (jb.writeCalls ?? 0));
      // One create per record; every version's "Model" rode in its create, and no object was edited.
      expect(jb.writeCalls).toBe(SCALE.models + VERSIONS);
      expect(first.jiraWrites).toBe(jb.writeCalls);
      expect(jiraAssets.server.requests.filter((q) => q.method === 'PUT')).toHaveLength(0);
      expect(jb.basis).toContain(`${VERSIONS} reference(s) on objects this run created, carried in their creates`);

      const noop = await sync(true, first.until);
      expect(noop.applied).toMatchObject({ create: 0, update: 0, relate: 0 });
      expect(noop.wandbCalls).toBe(noop.wandbBound?.calls);
      expect(noop.jiraReads).toBe(noop.jiraBound?.calls);
      expect(noop.jiraWrites).toBe(0);
      // The no-op reads what the first sync wrote, once: the bound counts it.
      expect(noop.jiraBound?.basis).toContain(`${SCALE.models}/${VERSIONS}/0 managed object(s) changed since the run before began`);
    } finally {
      rt.close();
    }
  });
});

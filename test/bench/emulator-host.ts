import { sandboxParts } from '../../connectors/sandbox';
import { jiraAssetsSandboxPart } from '../../connectors/sinks/jira-assets/sandbox';
import type { SandboxPart } from '../../src/sandbox/part';
import { startSandbox, type PartFactories, type Sandbox } from '../../src/sandbox/sandbox';
import type { Bounds, HostReply, HostRequest, Started, Tallies } from './protocol';

/*
 * The benchmark's emulators, in a process of their own (forked by run.ts):
 * masync's syncs run in other processes, so the emulators' CPU time and
 * memory never count as masync's. Answers one request at a time over IPC.
 */

let box: Sandbox | undefined;

// A sync needs the ML schema in Assets: made by masync's own bootstrap when the part starts, as `--apply-schema` would, outside any measured step.
const benchParts: PartFactories = { ...sandboxParts, jiraAssets: jiraAssetsSandboxPart({ bootstrapped: true }) };

const parts = (): Array<[string, SandboxPart]> => Object.entries(box?.parts ?? {});

async function handle(req: HostRequest): Promise<unknown> {
  switch (req.op) {
    case 'start': {
      const chosen: PartFactories = {};
      for (const name of req.parts) {
        const f = benchParts[name];
        if (!f) throw new Error(`no sandbox part ${name}; there are ${Object.keys(benchParts).join(', ')}`);
        chosen[name] = f;
      }
      // A mass retirement is what the 1 % deleted step is not; the guard stays as shipped.
      box = await startSandbox(chosen, { dir: req.dir, scale: req.scale, latencyMs: req.latencyMs });
      // Request bodies of 200,000 writes would be the host's memory, and nobody reads them.
      for (const [, p] of parts()) p.server.setRequestLog({ bodies: false });
      const started: Started = { configFile: box.configFile, env: box.env, parts: Object.fromEntries(parts().map(([n, p]) => [n, { connector: p.config.name, role: p.role }])) };
      return started;
    }
    case 'tally':
      return Object.fromEntries(parts().map(([n, p]) => [n, p.calls()])) satisfies Tallies;
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return Math.round((user + system) / 1000);
    }
    case 'change': {
      const source = parts().find(([, p]) => p.changes)?.[1];
      if (!source?.changes) throw new Error('no part of this sandbox takes changes');
      return req.kind === 'move' ? source.changes.moveStages(req.count) : source.changes.deleteVersions(req.count);
    }
    case 'bound': {
      const input = { ...req.input, since: req.input.since ? new Date(req.input.since) : undefined, until: req.input.until ? new Date(req.input.until) : undefined };
      const out: Bounds = {};
      for (const [n, p] of parts()) if (p.minimumCalls) out[n] = p.minimumCalls(input);
      return out;
    }
    case 'stop':
      await box?.stop();
      box = undefined;
      return true;
  }
}

process.on('message', (msg: { id: number; req: HostRequest }) => {
  handle(msg.req).then(
    (value) => process.send?.({ id: msg.id, ok: true, value } satisfies HostReply),
    (err: unknown) => process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies HostReply),
  );
});
// The benchmark went away: stop listening, and the process ends with nothing left to wait for.
process.on('disconnect', () => void box?.stop());

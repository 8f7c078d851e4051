import type { ConnectorDeps } from '../../../src/engine/connector';
import type { SandboxPart, SandboxPartFactory, SandboxPartOptions, SinkView, ViewedRecord } from '../../../src/sandbox/part';
import { tallyRequests } from '../../../src/sandbox/calls';
import { standaloneContext } from '../../../src/engine/types';
import { createHttpClient } from '../../../src/http';
import { Redactor } from '../../../src/http/redact';
import { silentLogger } from '../../../src/log/logger';
import { loadMapping, resolveMappingPath } from '../../../src/mapping/load';
import type { Mapping } from '../../../src/mapping/schema';
import { JiraAssetsEmulator } from './emulator';
import { SANDBOX_ACCOUNT, seedHandMadeModels, seedSandboxSite, type JiraSandboxSeed } from './fixtures/sandbox';
import { MAX_AQL_PAGE, type JiraAssetsConfig } from './config';
import { identityOf } from './identity';
import { jiraAssetsSink } from './index';
import { mappedShape } from './mapped';
import { assetsSandboxBound } from './sandbox-bound';

const TOKEN_ENV = 'MASYNC_SANDBOX_JIRA_TOKEN';

export interface JiraSandboxOptions {
  deployment?: 'cloud' | 'datacenter';
  /** Start with the ML Inventory schema made (by masync's own bootstrap) and hand-made models in it; default: an empty workspace. */
  bootstrapped?: boolean;
}

/** The part, with its emulator and seed for tests that look inside. */
export interface JiraSandboxPart extends SandboxPart {
  emulator: JiraAssetsEmulator;
  seed: JiraSandboxSeed;
  view: SinkView;
}

/**
 * An emulated Jira site for the sandbox. By default its Assets workspace has
 * no ML schema yet, so the demo runs `--apply-schema` first, as a new
 * customer would.
 */
export function jiraAssetsSandboxPart(opts: JiraSandboxOptions = {}): SandboxPartFactory<JiraSandboxPart> {
  return (part) => startJiraAssetsSandbox(opts, part);
}

export async function startJiraAssetsSandbox(opts: JiraSandboxOptions, part: SandboxPartOptions): Promise<JiraSandboxPart> {
  const deployment = opts.deployment ?? 'cloud';
  const emu = new JiraAssetsEmulator({ deployment });
  const seed = seedSandboxSite(emu);
  await emu.start();
  if (part.latencyMs) emu.server.setLatency(part.latencyMs);
  const secret = deployment === 'cloud' ? SANDBOX_ACCOUNT.apiToken : SANDBOX_ACCOUNT.pat;
  const common = { name: 'assets-sandbox', type: 'jira-assets', deployment, schema: 'ML Inventory', managedBy: 'masync', mapping: 'jira-assets' };
  const config: SandboxPart['config'] =
    deployment === 'cloud'
      ? { ...common, site: emu.url, apiBase: emu.url, email: SANDBOX_ACCOUNT.email, apiToken: `\${${TOKEN_ENV}}`, emailDomain: 'example.com' }
      : { ...common, baseUrl: emu.url, token: `\${${TOKEN_ENV}}` };
  // The settings the bound counts with are the sink's defaults, as the config leaves them.
  const settings = jiraAssetsSink.schema.parse({ ...config, [deployment === 'cloud' ? 'apiToken' : 'token']: secret });
  const mapping = loadMapping(resolveMappingPath('jira-assets', '/'));
  if (opts.bootstrapped) {
    await bootstrap(settings, mapping);
    seedHandMadeModels(emu);
  }
  const shape = mappedShape(mapping);
  const boundSettings = { deployment, schema: settings.schema, managedBy: settings.managedBy, pageSize: MAX_AQL_PAGE, inFlight: settings.http.concurrency };
  return {
    role: 'sink',
    config,
    env: { [TOKEN_ENV]: secret },
    describe: `Jira Assets (${deployment}) on ${emu.url}: ${opts.bootstrapped ? 'schema "ML Inventory" with hand-made models' : 'an empty Assets workspace'}, users alice, bob and carol, hand-made IT objects`,
    server: emu.server,
    calls: () => tallyRequests(emu.server.requests),
    minimumCalls: (input) => assetsSandboxBound(emu, shape, boundSettings, input),
    view: assetsView(emu, seed),
    stop: () => emu.stop(),
    emulator: emu,
    seed,
  };
}

export const jiraAssetsSandbox = jiraAssetsSandboxPart();

const OBJECT_WRITE = /\/object\/(?:create|\d+)$/;
const MANAGED_BY = 'masync';

/** The workspace as its administrator sees it in the Assets UI: objects by name, references by what they name. */
function assetsView(emu: JiraAssetsEmulator, seed: JiraSandboxSeed): SinkView {
  const writes = () => emu.server.requests.filter((r) => r.method !== 'GET' && OBJECT_WRITE.test(r.path));
  const writesTo = (id: string) => writes().filter((r) => r.path.endsWith(`/object/${id}`)).length;
  const userName = new Map(Object.entries(seed.users).map(([name, id]) => [id, name]));
  const all = () => [...emu.objects.objects.values()].map((o) => ({ o, values: emu.valuesOf(o.id) }));
  const nameOfKey = (key: string) => all().find((x) => x.o.key === key)?.values.Name?.[0] ?? key;
  const ours = () => all().filter((x) => x.values['Managed by']?.[0] === MANAGED_BY && x.values['External key'] !== undefined);
  const viewed = ({ o, values }: { o: { id: string; key: string }; values: Record<string, string[]> }): ViewedRecord => {
    const fields: Record<string, string> = {};
    const relations: ViewedRecord['relations'] = [];
    for (const [attr, vals] of Object.entries(values)) {
      if (attr === 'Model' || attr === 'Serves') for (const key of vals) relations.push({ type: attr, other: nameOfKey(key) });
      else if (vals.length) fields[attr] = vals.map((v) => (attr === 'Owner' ? `${userName.get(v) ?? v} (${v})` : v)).join(', ');
    }
    for (const x of all()) for (const key of [...(x.values.Model ?? []), ...(x.values.Serves ?? [])]) if (key === o.key) relations.push({ type: x.values.Model?.includes(key) ? 'Model of' : 'Served by', other: x.values.Name?.[0] ?? x.o.key });
    return { id: o.key, name: values.Name?.[0] ?? o.key, fields, relations };
  };
  return {
    record(key) {
      const found = ours().find((x) => x.values['External key']?.[0] === identityOf(key));
      return found ? viewed(found) : undefined;
    },
    retiredLabel: (r) => `Lifecycle status ${r.fields['Lifecycle status'] ?? '?'}`,
    hazards() {
      const masyncs = ours().filter((x) => /["\\^=]/.test(x.values.Name?.[0] ?? ''));
      const people = [seed.handMade.injection, seed.handMade.backslash];
      return {
        why: 'a name pasted into AQL unescaped, as in Name = "x" OR Name != "", would match every object; masync quotes and escapes every value',
        records: [
          ...masyncs.map((x) => ({ name: x.values.Name?.[0] ?? '', owner: 'masync' as const, id: x.o.key, writes: writesTo(x.o.id) })),
          ...people.map((id) => ({ name: emu.valuesOf(id).Name?.[0] ?? id, owner: 'a person' as const, id: emu.objects.get(id).key, writes: writesTo(id) })),
        ],
      };
    },
    writes: () => writes().length,
    deletes: () => ({ records: writes().filter((r) => r.method === 'DELETE').length, relations: 0 }),
  };
}

async function bootstrap(config: JiraAssetsConfig, mapping: Mapping): Promise<void> {
  const redactor = new Redactor();
  const deps: ConnectorDeps = { logger: silentLogger, redactor, clock: { now: () => new Date() }, http: (o) => createHttpClient({ ...o, logger: silentLogger, redactor }) };
  const sink = jiraAssetsSink.create(config, mapping, deps);
  await sink.bootstrap?.({ dryRun: false }, standaloneContext(silentLogger));
}

import type { BoundInput, CallBound, SandboxPart, SandboxPartFactory, SinkView, ViewedRecord } from '../../../src/sandbox/part';
import { tallyRequests } from '../../../src/sandbox/calls';
import { loadMapping, resolveMappingPath } from '../../../src/mapping/load';
import { serviceNowConfigSchema } from './config';
import { ServiceNowEmulator, type Row } from './emulator';
import { SANDBOX_CREDENTIALS, seedSandboxInstance, type SandboxSeed } from './fixtures/sandbox';
import { toGlideDateTime } from './glide-time';
import { identityOf } from './identity';
import { mappedShape } from './mapped';

const DISCOVERY_SOURCE = 'masync';
const TABLE_API = '/api/now/table/';

export interface ServiceNowSandboxOptions {
  /** Writes per Batch API call (a test that kills a sync mid-apply wants several calls); default: the sink's. */
  batchSize?: number;
  /** Rows per Table API page; default: the sink's. */
  pageSize?: number;
}

/** The part, with its emulator and seed, for tests that look inside. */
export interface ServiceNowSandboxPart extends SandboxPart {
  emulator: ServiceNowEmulator;
  seed: SandboxSeed;
  view: SinkView;
}

/**
 * An emulated ServiceNow instance for the sandbox: the CSDM 5 AI classes and
 * masync's columns, people and cost centers to look up, CIs that are a
 * person's (named to trip a careless query), and the `servicenow` sink entry.
 */
export function servicenowSandboxPart(options: ServiceNowSandboxOptions = {}): SandboxPartFactory<ServiceNowSandboxPart> {
  return async (opts) => {
    const emu = new ServiceNowEmulator();
    const seed = seedSandboxInstance(emu);
    const url = await emu.start();
    if (opts.latencyMs) emu.server.setLatency(opts.latencyMs);
    const config = {
      name: 'cmdb-sandbox',
      type: 'servicenow',
      instance: url,
      auth: { username: SANDBOX_CREDENTIALS.username, password: '${MASYNC_SANDBOX_SN_PASSWORD}' },
      discoverySource: DISCOVERY_SOURCE,
      mapping: 'servicenow',
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    };
    const settings = serviceNowConfigSchema.parse({ ...config, auth: { username: 'x', password: 'x' } });
    const shape = mappedShape(loadMapping(resolveMappingPath('servicenow', '/')));
    return {
      role: 'sink',
      config,
      env: { MASYNC_SANDBOX_SN_PASSWORD: SANDBOX_CREDENTIALS.password },
      describe: `ServiceNow at ${url}: CSDM 5 AI classes, users alice, bob and carol, cost centers, and CIs that are people's (one named "x")`,
      server: emu.server,
      calls: () => tallyRequests(emu.server.requests),
      minimumCalls: (input) => serviceNowCallBound(emu, input, { classes: [...shape.classes.keys()], lookups: shape.lookupTables.length, pageSize: settings.pageSize, batchSize: settings.batchSize, discoverySource: DISCOVERY_SOURCE, inFlight: settings.http.concurrency }),
      view: serviceNowView(emu, seed),
      stop: () => emu.stop(),
      emulator: emu,
      seed,
    };
  };
}

export const servicenowSandbox = servicenowSandboxPart();

/**
 * The fewest calls the Table and Batch APIs allow: every read query (one per
 * mapped class, one for cmdb_rel_ci) takes a page, and a page per `pageSize`
 * rows someone else changed since the run before began reading (what
 * masync's own writer changed is what it wrote: its links hold it; the
 * writer is the sandbox's integration user unless given); the catalog (class
 * hierarchy in two steps, dictionary, relation types) only when nothing is
 * cached; one lookup query per lookup table; writes in Batch API calls of
 * `batchSize`, relations only once the records they join exist. Round trips:
 * every query's first page at once, the rest `inFlight` at a time (a query's
 * count is known only from its first page); the catalog beside the lookups.
 */
export function serviceNowCallBound(
  emu: ServiceNowEmulator,
  input: BoundInput,
  s: { classes: string[]; lookups: number; pageSize: number; batchSize: number; discoverySource: string; inFlight: number; writer?: string },
): CallBound {
  const glide = (at: Date) => toGlideDateTime(at.toISOString());
  // An empty sys_updated_by matches neither = nor !=: such a row is someone else's.
  const others = `^sys_updated_by!=${s.writer ?? SANDBOX_CREDENTIALS.username}^ORsys_updated_byISEMPTY`;
  // Stored times are whole seconds: the end is rounded up, so a row of the run before in the same second still counts.
  const window = `${input.since ? `^sys_updated_on>=${glide(input.since)}${others}` : ''}${input.until ? `^sys_updated_on<${glide(new Date(input.until.getTime() + 999))}` : ''}`;
  const rows = [
    ...s.classes.map((cls) => emu.query(cls, `discovery_source=${s.discoverySource}^sys_class_name=${cls}${window}`).length),
    emu.query('cmdb_rel_ci', `parent.discovery_source=${s.discoverySource}^ORchild.discovery_source=${s.discoverySource}${window}`).length,
  ];
  const pages = rows.map((n) => Math.max(1, Math.ceil(n / s.pageSize)));
  const catalog = input.warm ? 0 : 4;
  const batches = (n: number) => Math.ceil(n / s.batchSize);
  const writes = input.writes ?? { records: 0, relations: 0 };
  const [recordCalls, relationCalls] = [batches(writes.records), batches(writes.relations)];
  const inFlight = Math.max(1, input.concurrency ?? 1);
  const pageCount = pages.reduce((a, b) => a + b, 0);
  const readCalls = pageCount + catalog + s.lookups;
  const readRounds = Math.max(Math.ceil(pageCount / Math.max(1, s.inFlight)), Math.max(...pages) > 1 ? 2 : 1);
  return {
    calls: readCalls + recordCalls + relationCalls,
    writeCalls: recordCalls + relationCalls,
    path: { read: readRounds, resolve: Math.max(s.lookups > 0 ? 1 : 0, input.warm ? 0 : 3), write: Math.ceil(recordCalls / inFlight) + Math.ceil(relationCalls / inFlight) },
    basis:
      `reads: ${rows.length} queries, ${rows.join('/')} row(s) changed ${input.since ? 'by others since the run before began' : 'in all'} at ${s.pageSize}/page = ${pages.join('+')}` +
      `; catalog ${catalog}${input.warm ? ' (cached)' : ' (2 class hierarchy, 1 dictionary, 1 relation types)'}; ${s.lookups} lookup queries` +
      `; writes: ${writes.records} record(s) + ${writes.relations} relation(s) in Batch API calls of ${s.batchSize} = ${recordCalls}+${relationCalls}`,
  };
}

const RETIRED_LABELS: Record<string, Record<string, string>> = {
  install_status: { '1': 'Installed', '7': 'Retired' },
  operational_status: { '1': 'Operational', '2': 'Non-Operational' },
};
const HIDDEN = new Set(['sys_id', 'sys_created_on', 'sys_updated_on', 'sys_mod_count']);

function serviceNowView(emu: ServiceNowEmulator, seed: SandboxSeed): SinkView {
  const requests = () => emu.server.requests.filter((r) => r.method !== 'GET' && r.path.startsWith(TABLE_API));
  const writesTo = (sysId: string) => requests().filter((r) => r.path.endsWith(`/${sysId}`)).length;
  const nameOf = (sysId: string) => {
    const row = emu.get('cmdb_ci', sysId) ?? emu.get('sys_user', sysId) ?? emu.get('cmn_cost_center', sysId);
    return row?.name ?? sysId;
  };
  const viewed = (row: Row): ViewedRecord => {
    const fields: Record<string, string> = {};
    for (const [f, v] of Object.entries(row)) {
      if (v === undefined || v === '' || HIDDEN.has(f)) continue;
      fields[f] = f === 'owned_by' || f === 'cost_center' ? `${nameOf(v)} (${v})` : v;
    }
    const id = row.sys_id ?? '';
    const typeName = (typeId: string) => emu.get('cmdb_rel_type', typeId)?.name ?? typeId;
    const relations = emu
      .query('cmdb_rel_ci', `parent=${id}^ORchild=${id}`)
      .map((r) => {
        const [down, up] = typeName(r.type ?? '').split('::');
        return r.parent === id ? { type: down ?? '', other: nameOf(r.child ?? '') } : { type: up ?? '', other: nameOf(r.parent ?? '') };
      });
    return { id, name: row.name ?? '', fields, relations };
  };
  return {
    record(key) {
      const row = emu.query('cmdb_ci', `correlation_id=${identityOf(key)}^discovery_source=${DISCOVERY_SOURCE}`)[0];
      return row ? viewed(row) : undefined;
    },
    retiredLabel: (r) => Object.entries(RETIRED_LABELS).map(([f, labels]) => `${f} ${r.fields[f] ?? '?'} (${labels[r.fields[f] ?? ''] ?? 'other'})`).join(', '),
    hazards() {
      const x = seed.unmanaged.x;
      const masyncs = emu.list('cmdb_ci').filter((r) => r.discovery_source === DISCOVERY_SOURCE && /[\^=]/.test(r.name ?? ''));
      return {
        why: 'an encoded query name=fraud^ORname=x also matches every CI named x; masync reads by constant filters and matches names in memory',
        records: [
          ...masyncs.map((r) => ({ name: r.name ?? '', owner: 'masync' as const, id: r.sys_id ?? '', writes: writesTo(r.sys_id ?? '') })),
          { name: emu.get('cmdb_ci', x)?.name ?? 'x', owner: 'a person' as const, id: x, writes: writesTo(x) },
        ],
      };
    },
    writes: () => requests().length,
    deletes() {
      const deletes = requests().filter((r) => r.method === 'DELETE');
      const relations = deletes.filter((r) => r.path.startsWith(`${TABLE_API}cmdb_rel_ci/`)).length;
      return { records: deletes.length - relations, relations };
    },
  };
}

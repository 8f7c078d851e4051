import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { registry } from '../../connectors';
import { loadConfig } from '../../src/config/load';
import { packageRoot } from '../../src/config/package-root';
import { Redactor } from '../../src/http/redact';

/**
 * The container image and the Kubernetes manifests cannot be built or applied
 * here, so this checks what would silently break them: YAML that does not
 * parse, and values that must agree across the Dockerfile, the manifests and
 * the masync config (uid, paths, port, secret names).
 */

// Manifests are free-form YAML; the assertions below are their schema.
type Obj = Record<string, any>;

const root = packageRoot();
const STATE_DIR = '/var/lib/masync';
const CONFIG_FILE = '/etc/masync/masync.yaml';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

const manifests: Obj[] = yamlFiles(path.join(root, 'deploy')).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]?.message}`);
    return { ...(doc.toJS() as Obj), file };
  }),
);

function one(kind: string): Obj {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as Obj;
}

const cronJob = one('CronJob');
const deployment = one('Deployment');
const workloads: Array<[string, Obj]> = [
  ['CronJob', cronJob.spec.jobTemplate.spec.template.spec],
  ['Deployment', deployment.spec.template.spec],
];
const container = (pod: Obj): Obj => pod.containers[0];
const mountOf = (pod: Obj, volume: (v: Obj) => boolean): string | undefined => {
  const v = (pod.volumes as Obj[]).find(volume);
  return (container(pod).volumeMounts as Obj[]).find((m) => m.name === v?.name)?.mountPath;
};

describe('Kubernetes manifests', () => {
  it('every document under deploy/ parses and names its kind', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(7);
    for (const m of manifests) expect({ file: m.file, apiVersion: typeof m.apiVersion, kind: typeof m.kind, name: typeof m.metadata?.name }).toEqual({ file: m.file, apiVersion: 'string', kind: 'string', name: 'string' });
  });

  it('the CronJob never overlaps itself', () => {
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(container(workloads[0]?.[1] as Obj).args.slice(0, 3)).toEqual(['sync', '-c', CONFIG_FILE]);
  });

  it('the daemon is one replica, replaced by Recreate, probed on /healthz and scraped through a Service', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = deployment.spec.template.spec as Obj;
    const c = container(pod);
    expect(c.args.slice(0, 3)).toEqual(['daemon', '-c', CONFIG_FILE]);
    const portNumber = (p: string | number) => (typeof p === 'number' ? p : (c.ports as Obj[]).find((x) => x.name === p)?.containerPort);
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      expect(probe.httpGet.path).toBe('/healthz');
      expect(portNumber(probe.httpGet.port)).toBe(9464);
    }
    expect(c.livenessProbe.initialDelaySeconds).toBeGreaterThanOrEqual(60);
    expect(c.livenessProbe.failureThreshold * c.livenessProbe.periodSeconds).toBeGreaterThan(c.readinessProbe.failureThreshold * c.readinessProbe.periodSeconds);
    const service = one('Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports.map((p: Obj) => [p.port, portNumber(p.targetPort)])).toEqual([[9464, 9464]]);
  });

  it.each(workloads)('the %s runs non-root on a read-only root, with requests, the config from the ConfigMap and state on its own claim', (_, pod) => {
    const c = container(pod);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.resources.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
    expect(mountOf(pod, (v) => v.configMap?.name === one('ConfigMap').metadata.name)).toBe(path.dirname(CONFIG_FILE));
    const claim = (pod.volumes as Obj[]).find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim.claimName;
    expect(manifests.filter((m) => m.kind === 'PersistentVolumeClaim').map((m) => m.metadata.name)).toContain(claim);
    expect(mountOf(pod, (v) => v.persistentVolumeClaim !== undefined)).toBe(STATE_DIR);
  });

  it('the two workloads never share a state file', () => {
    const claims = workloads.map(([, pod]) => (pod.volumes as Obj[]).find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim.claimName);
    expect(new Set(claims).size).toBe(2);
  });

  it('the example config is valid, keeps state on the volume, listens for probes, and gets every secret it names from the Secret', () => {
    const secret = one('Secret');
    const text = one('ConfigMap').data['masync.yaml'] as string;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-deploy-'));
    try {
      const file = path.join(dir, 'masync.yaml');
      writeFileSync(file, text);
      const loaded = loadConfig(file, {
        sourceSchemas: registry.sources.map((f) => f.schema),
        sinkSchemas: registry.sinks.map((f) => f.schema),
        enricherSchemas: registry.enrichers.map((f) => f.schema),
        env: secret.stringData,
        redactor: new Redactor(),
      });
      expect(path.dirname(loaded.statePath)).toBe(STATE_DIR);
      expect(loaded.config.daemon).toEqual({ host: '0.0.0.0', port: 9464 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const referenced = [...text.matchAll(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]);
    expect(referenced.length).toBeGreaterThan(0);
    for (const [, pod] of workloads) {
      const env = new Map((container(pod).env as Obj[]).map((e) => [e.name, e.valueFrom?.secretKeyRef]));
      for (const name of referenced) expect({ name, from: env.get(name) }).toEqual({ name, from: { name: secret.metadata.name, key: name } });
    }
  });
});

/** Dockerfile instructions, continuation lines joined, grouped by stage. */
function dockerStages(text: string): Array<Array<[string, string]>> {
  const stages: Array<Array<[string, string]>> = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  for (const line of lines) {
    const [op = '', ...rest] = line.split(/\s+/);
    const instruction: [string, string] = [op.toUpperCase(), rest.join(' ')];
    if (instruction[0] === 'FROM') stages.push([]);
    stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

describe('Dockerfile', () => {
  const text = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const stages = dockerStages(text);
  const runtime = stages[stages.length - 1] ?? [];
  const args = (op: string, stage = runtime) => stage.filter(([o]) => o === op).map(([, a]) => a);

  it('builds in one stage and runs in another from the same official Node 20 image', () => {
    expect(stages.length).toBe(2);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(stages.map((s) => s[0]?.[1])).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
    expect(args('COPY').filter((a) => a.startsWith('--from='))).toEqual(['--from=build /app/package.json ./package.json', '--from=build /app/node_modules ./node_modules', '--from=build /app/dist ./dist']);
    expect(args('COPY').filter((a) => !a.startsWith('--from='))).toEqual(['bin ./bin', 'config ./config', 'mappings ./mappings']);
  });

  it('runs as the non-root uid the manifests expect, with state in the volume they mount', () => {
    expect(args('USER')).toEqual(['10001:10001']);
    expect(args('VOLUME')).toEqual([`["${STATE_DIR}"]`]);
    expect(args('WORKDIR').at(-1)).toBe(STATE_DIR);
    expect(args('EXPOSE')).toEqual(['9464']);
    expect(args('ENTRYPOINT')).toEqual(['["node", "/app/bin/masync.js"]']);
    expect(args('CMD')).toEqual([`["daemon", "-c", "${CONFIG_FILE}"]`]);
  });

  it('bakes no secret into the image and keeps local state and VCS out of the build context', () => {
    for (const [op, a] of stages.flat()) if (op === 'ENV' || op === 'ARG') expect(a).not.toMatch(/TOKEN|PASSWORD|SECRET|KEY|CREDENTIAL/i);
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', '*.db', '*.db-wal', '.env']));
  });
});

describe('LICENSE', () => {
  it('is the Apache License 2.0 that package.json declares', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { license: string };
    const license = readFileSync(path.join(root, 'LICENSE'), 'utf8');
    expect(pkg.license).toBe('Apache-2.0');
    expect(license).toMatch(/^ +Apache License\n +Version 2\.0, January 2004\n/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license).toContain('   Copyright 2026 The masync authors\n');
  });
});

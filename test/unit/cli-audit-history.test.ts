import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../src/cli/main';
import { memoryIo } from '../support/cli-io';
import { FleetSource, fleetEndpoint, fleetModel, fleetRuntime, fleetVersion, syncAt } from '../support/fleet';

async function masync(config: string, ...args: string[]) {
  const io = memoryIo();
  const code = await run(['node', 'masync', ...args, '-c', config], io);
  return { code, out: io.out(), err: io.err() };
}

/** A state file with one synced fleet, and a config that names only it: no source, no sink, no secret. */
async function stateOnly() {
  const src = new FleetSource('fl');
  const fraud = fleetModel('fl', 'fraud');
  const v1 = fleetVersion(fraud, '1', { stage: 'Production', runId: 'r1', metrics: { auc: 0.9 } });
  src.items = [fraud, v1, fleetEndpoint('fl', 'fraud-scoring', v1.key)];
  const rt = fleetRuntime(src);
  await syncAt(rt, '2026-09-01T00:00:00.000Z');
  rt.close();
  const config = path.join(rt.loaded.dir, 'audit.yaml');
  writeFileSync(config, `state:\n  path: ${rt.loaded.statePath}\n`);
  return config;
}

describe('masync audit and history on the command line', () => {
  it('answer from the state file alone, in human and JSON form', async () => {
    const config = await stateOnly();
    const human = await masync(config, 'audit', '--at', '2026-09-01T12:00+02:00');
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^At 2026-09-01T10:00:00.000Z: 1 interval\(s\)\.\n\nfraud-scoring {2}\(fleet:\/\/fl\/endpoints\/fraud-scoring, fl\)\n {2}interval {2}2026-09-01T00:00:00.000Z → still holding\n/);
    expect(human.out).toContain('  serves    fraud v1  (fleet://fl/models/fraud/versions/1)\n              stage Production\n              run r1\n              metrics auc=0.9\n');
    const json = JSON.parse((await masync(config, 'audit', '--from', '2026-08-01', '--to', '2026-10-01', '--json')).out) as { formatVersion: number; intervals: unknown[] };
    expect(json.formatVersion).toBe(2);
    expect(json.intervals).toHaveLength(1);
    const h = await masync(config, 'history', 'fraud v1');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^History of version fraud v1 {2}\(fleet:\/\/fl\/models\/fraud\/versions\/1, fl\)\n1 version\(s\), 1 deployment\(s\) serving them, \d+ event\(s\)\.\n\nsync 20260901T000000Z-[0-9a-f]{6}\n {2}2026-09-01T00:00:00.000Z {2}registered {6}fraud v1 registered\n/);
    const hj = JSON.parse((await masync(config, 'history', 'fraud', '--json')).out) as { subject: { kind: string }; events: Array<{ type: string; runId: string }> };
    expect(hj.subject.kind).toBe('model');
    expect(hj.events.every((e) => /^20260901T/.test(e.runId))).toBe(true);
  });

  it('refuses a time without a zone, --at with a window, and no time at all (exit 64)', async () => {
    const config = await stateOnly();
    const local = await masync(config, 'audit', '--at', '2026-09-30T12:00');
    expect(local.code).toBe(64);
    expect(local.err).toContain('--at: expected a date (2026-09-30) or a time with its zone');
    expect((await masync(config, 'audit', '--at', '2026-09-30', '--from', '2026-09-01')).err).toContain('not both');
    expect((await masync(config, 'audit')).code).toBe(64);
    expect((await masync(config, 'audit', '--from', '2026-09-30', '--to', '2026-09-01')).err).toContain('is before --from');
    const unknown = await masync(config, 'history', 'no-such-model');
    expect(unknown.code).toBe(64);
    expect(unknown.err).toContain('nothing in the state file is named or keyed "no-such-model"');
  });

  it('without a state file, say so and create none', async () => {
    const config = await stateOnly();
    const missing = path.join(path.dirname(config), 'none.yaml');
    writeFileSync(missing, 'state:\n  path: never.db\n');
    expect((await masync(missing, 'audit', '--at', '2026-09-01')).out).toContain('No state file at');
    expect(JSON.parse((await masync(missing, 'history', 'fraud', '--json')).out)).toMatchObject({ events: [] });
    expect(existsSync(path.join(path.dirname(config), 'never.db'))).toBe(false);
  });
});

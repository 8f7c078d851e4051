import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { RUN_PHASES, type CallBound, type RunPhase } from '../../src/sandbox/part';
import { tallySince, tallyTotal } from '../../src/sandbox/calls';
import type { EmulatorHost } from './host';
import type { Bounds, Started, Tallies } from './protocol';
import type { SyncOnce } from './sync-once';

/** What one step of the benchmark measured, and the bounds it is held to. */
export interface StepResult {
  step: string;
  sync: SyncOnce;
  /** Wall time of the whole sync process, from spawn to exit. */
  spawnMs: number;
  /** masync.db + masync.db-wal after the step. */
  stateBytes: number;
  /** Warnings the sync logged. */
  warnings: number;
  /** CPU time the emulators' process spent during the step: it must stay small beside the sync's, or the bench measures the emulators. */
  emulatorCpuMs: number;
  /** Calls each part's emulator answered during the step, by operation. */
  calls: Tallies;
  bounds: Bounds;
  /** Round trips on the critical path, per phase, over every part: the latency bound is these × the latency. */
  path: Record<RunPhase, number>;
  /** When the step's sync began (its successor's bound reads what changed since). */
  startedAt: string;
}

export interface StepOptions {
  step: string;
  /** `--full`: every connector reads in full. */
  full: boolean;
  /** Caches hold what the previous sync left (a re-sync), for the bounds. */
  warm: boolean;
  /** When the previous step's sync began; absent for the first. */
  since?: string;
  /** Extra node flags for the sync process (e.g. --cpu-prof). */
  nodeFlags: string[];
  concurrency: number;
}

const SYNC_ONCE = path.join(__dirname, 'sync-once.js');

/** One sync as its own process against the host's emulators, with the calls it caused and the bounds for them. */
export async function runStep(host: EmulatorHost, started: Started, opts: StepOptions): Promise<StepResult> {
  const before = await host.ask<Tallies>({ op: 'tally' });
  const cpuBefore = await host.ask<number>({ op: 'cpu' });
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const { stdout, stderr, code } = await spawnSync(opts.nodeFlags, [started.configFile, ...(opts.full ? ['--full'] : [])], started.env);
  const spawnMs = Math.round(performance.now() - t0);
  if (code !== 0) throw new Error(`${opts.step}: the sync process exited ${code}:\n${stderr.slice(-4000)}`);
  const sync = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as SyncOnce;
  if (sync.status !== 'ok') throw new Error(`${opts.step}: sync ${sync.status}: ${sync.errors.join('; ')}`);
  const after = await host.ask<Tallies>({ op: 'tally' });
  const emulatorCpuMs = (await host.ask<number>({ op: 'cpu' })) - cpuBefore;
  const calls: Tallies = Object.fromEntries(Object.keys(after).map((p) => [p, tallySince(before[p] ?? {}, after[p] ?? {})]));
  const a = sync.applied;
  const bounds = await host.ask<Bounds>({
    op: 'bound',
    input: {
      warm: opts.warm,
      since: opts.full ? undefined : opts.since,
      until: startedAt,
      writes: { records: (a.create ?? 0) + (a.update ?? 0) + (a.retire ?? 0), relations: (a.relate ?? 0) + (a.unrelate ?? 0) },
      concurrency: opts.concurrency,
    },
  });
  const dir = path.dirname(started.configFile);
  const size = (f: string) => (existsSync(path.join(dir, f)) ? statSync(path.join(dir, f)).size : 0);
  return {
    step: opts.step,
    sync,
    spawnMs,
    stateBytes: size('masync.db') + size('masync.db-wal'),
    warnings: stderr.split('\n').filter((l) => l.includes('"level":"warn"')).length,
    emulatorCpuMs,
    calls,
    bounds,
    path: criticalPath(bounds),
    startedAt,
  };
}

/** Phases follow one another; within a phase, parts work side by side, so the slowest part's chain counts. */
export function criticalPath(bounds: Bounds): Record<RunPhase, number> {
  const out = Object.fromEntries(RUN_PHASES.map((p) => [p, 0])) as Record<RunPhase, number>;
  for (const b of Object.values(bounds)) for (const p of RUN_PHASES) out[p] = Math.max(out[p], b.path[p] ?? 0);
  return out;
}

// POSTs that only read: an Assets AQL search (its query in the body) and a GraphQL query.
const READ_POSTS = /^POST \S*\/(?:object\/aql|graphql)$/;

/** Measured against bound for one part: reads and writes apart where the bound says which calls write. */
export function partCounts(calls: Tallies[string] | undefined, bound: CallBound | undefined) {
  const tally = calls ?? {};
  const total = tallyTotal(tally);
  let writes = 0;
  for (const [op, t] of Object.entries(tally)) if (!op.startsWith('GET ') && !READ_POSTS.test(op)) writes += t.roundTrips;
  return { roundTrips: total.roundTrips, subRequests: total.subRequests, reads: total.roundTrips - writes, writes, bound };
}

function spawnSync(nodeFlags: string[], args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, SYNC_ONCE, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

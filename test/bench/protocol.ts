import type { BoundInput, CallBound, CallTally } from '../../src/sandbox/part';

/*
 * What the benchmark and its emulator host say to each other over the fork's
 * IPC channel. The host runs the emulators in a process of their own, so
 * their CPU and memory are never counted as masync's.
 */

export type HostRequest =
  | { op: 'start'; parts: string[]; scale?: { models: number; versionsPerModel: number }; latencyMs?: number; dir: string }
  | { op: 'tally' }
  | { op: 'cpu' }
  | { op: 'change'; kind: 'move' | 'delete'; count: number }
  | { op: 'bound'; input: Omit<BoundInput, 'since' | 'until'> & { since?: string; until?: string } }
  | { op: 'stop' };

export interface Started {
  configFile: string;
  env: Record<string, string>;
  /** Part name → its config entry's name and role. */
  parts: Record<string, { connector: string; role: string }>;
}

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export type Tallies = Record<string, CallTally>;
export type Bounds = Record<string, CallBound>;

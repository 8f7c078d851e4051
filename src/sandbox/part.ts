/**
 * What one connector brings to the sandbox (`npm start`, the end-to-end
 * tests and the benchmark): its emulator, started on 127.0.0.1 and seeded,
 * and the config entry that points masync at it. Each connector folder has a
 * `sandbox.ts` exporting a SandboxPartFactory; src/sandbox composes them, so
 * the sandbox itself names no connector.
 */
export interface SandboxPart {
  role: 'source' | 'sink' | 'enricher';
  /** The connector's entry in masync.yaml (name, type, url…), secrets as `${ENV}` references. */
  config: Record<string, unknown> & { name: string; type: string };
  /** Values for the `${ENV}` references in `config` (local emulator credentials, nothing real). */
  env: Record<string, string>;
  /** One line for the demo's header: what the emulator holds and where it listens. */
  describe: string;
  /** The running emulator's request log (the kit's EmulatorServer). */
  server: SandboxServer;
  /** Calls the emulator answered so far, by operation as the platform names or meters them. */
  calls(): CallTally;
  /** The fewest calls the platform allows for a run over what the emulator holds now (absent: no bound is known). */
  minimumCalls?(input: BoundInput): CallBound;
  /** Sources: changes made on the platform, as a person or a pipeline would (absent: the part offers none). */
  changes?: SourceChanges;
  /** Sinks: what masync wrote, as an administrator sees it in the sink. */
  view?: SinkView;
  stop(): Promise<void>;
}

export interface SandboxPartOptions {
  /** Seed a large, deterministic data set instead of the demo one. */
  scale?: { models: number; versionsPerModel: number };
  /** Delay in front of every answer, as a remote API's round trip adds (bench `--latency`). */
  latencyMs?: number;
  /** The instant the seeds are relative to ("200 days old", "traffic yesterday"); one for every part. Default: now. */
  now?: Date;
}

export type SandboxPartFactory<P extends SandboxPart = SandboxPart> = (opts: SandboxPartOptions) => Promise<P>;

/** The slice of the emulator kit's server the sandbox uses. */
export interface SandboxServer {
  readonly requests: ReadonlyArray<{ method: string; path: string; via?: string }>;
  count(method: string, pathPrefix?: string): number;
  setLatency(ms: number): void;
  /** The benchmark turns bodies off to keep the emulators' memory flat. */
  setRequestLog(opts: { bodies: boolean }): void;
}

/** Operation → calls: round trips on the network, and requests carried inside a batch. */
export type CallTally = Record<string, { roundTrips: number; subRequests: number }>;

export interface BoundInput {
  /** Connector caches hold what they may keep from the run before (a re-sync); false: a first or `--full` run. */
  warm: boolean;
  /** Sinks: when the run before began reading; what changed since then must be read again. Absent: everything. */
  since?: Date;
  /** Sinks: when this run began; what changed after it is the run's own writes. */
  until?: Date;
  /** Sinks: the writes the run made, records (create, update, retire) and relations (relate, unrelate). */
  writes?: { records: number; relations: number };
  /** Sinks: batches in flight at once (the config's run.concurrency). */
  concurrency?: number;
}

/** The phases of a run, in order; round trips of different phases cannot overlap. */
export const RUN_PHASES = ['read', 'enrich', 'resolve', 'write'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

/** A lower bound of calls, and of round trips that must follow one another, per phase of a run. */
export interface CallBound {
  calls: number;
  /** Round trips that must follow one another, per phase of a run (sources and sinks read side by side, then enrich, resolve lookups, write). */
  path: Partial<Record<RunPhase, number>>;
  /** Calls that are writes (for sinks), so reads and writes can be held to their bounds apart. */
  writeCalls?: number;
  /** How the bound is counted, for the benchmark's output. */
  basis: string;
}

/** Changes the demo, the tests and the benchmark make in a source platform. */
export interface SourceChanges {
  /** Delete `count` versions (the demo's first: fraud-detector v1); returns the keys masync gives them. */
  deleteVersions(count: number): string[];
  /** Move `count` versions to another stage; returns their keys. */
  moveStages(count: number): string[];
}

/** A record as a person finds it in the sink's UI. */
export interface ViewedRecord {
  id: string;
  name: string;
  /** Every field with a value, by the sink's own field names; references by what they name. */
  fields: Record<string, string>;
  /** Relations to other records: type and the other end's name. */
  relations: Array<{ type: string; other: string }>;
}

/** A record named to trip a careless query, whose it is, and how many writes it received. */
export interface HazardRecord {
  name: string;
  owner: 'masync' | 'a person';
  id: string;
  writes: number;
}

/** A sink emulator seen from outside, as its administrator would. */
export interface SinkView {
  /** masync's record of an item, or undefined when there is none. */
  record(key: string): ViewedRecord | undefined;
  /** The field values that mark a record retired, as the sink's UI labels them. */
  retiredLabel(record: ViewedRecord): string;
  /** Records whose names are query syntax in this sink's language, and what a careless query would do with them. */
  hazards(): { why: string; records: HazardRecord[] };
  /** Writes (create, update, delete, relate) the sink received so far. */
  writes(): number;
  /** Deletes the sink received so far, and of what (relations rows masync drew may be removed; records never). */
  deletes(): { records: number; relations: number };
}

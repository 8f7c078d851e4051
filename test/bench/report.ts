import { RUN_PHASES } from '../../src/sandbox/part';
import { partCounts, type StepResult } from './step';

/** A measured figure held to its limit: the issue's targets, one line each. */
export interface Target {
  what: string;
  measured: string;
  limit: string;
  met: boolean;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ratio = (n: number, bound: number) => (bound > 0 ? `${(n / bound).toFixed(2)}` : n === 0 ? '1.00' : '∞');

/** calls / bound (ratio), for a part's reads or writes. */
function held(n: number, bound: number | undefined): string {
  return bound === undefined ? `${n}` : `${n} / ${bound} (${ratio(n, bound)})`;
}

/** The table: one row per step, masync's figures and each part's calls against its bound. */
export function stepTable(steps: StepResult[], parts: Record<string, { connector: string; role: string }>, latencyMs: number): string {
  const header = ['step', 'sync', 'process', 'cpu', 'emulators cpu', 'peak RSS', 'state', 'writes'];
  const names = Object.keys(parts);
  for (const n of names) {
    const sink = parts[n]?.role === 'sink';
    header.push(sink ? `${n} reads / bound` : `${n} calls / bound`);
    if (sink) header.push(`${n} writes / bound`, `${n} sub-requests`);
  }
  if (latencyMs > 0) header.push('latency bound', 'sync ÷ bound');
  const rows = steps.map((st) => {
    const a = st.sync.applied;
    const row = [st.step, s(st.sync.wallMs), s(st.spawnMs), s(st.sync.cpuMs), s(st.emulatorCpuMs), `${st.sync.peakRssMb} MB`, mb(st.stateBytes), String((a.create ?? 0) + (a.update ?? 0) + (a.retire ?? 0) + (a.relate ?? 0) + (a.unrelate ?? 0))];
    for (const n of names) {
      const c = partCounts(st.calls[n], st.bounds[n]);
      const b = c.bound;
      if (parts[n]?.role === 'sink') {
        const writesBound = b?.writeCalls;
        row.push(held(c.reads, b && writesBound !== undefined ? b.calls - writesBound : b?.calls), held(c.writes, writesBound), String(c.subRequests));
      } else row.push(held(c.roundTrips, b?.calls));
    }
    if (latencyMs > 0) {
      const boundMs = latencyBoundMs(st, latencyMs);
      row.push(s(boundMs), boundMs > 0 ? `${(st.sync.wallMs / boundMs).toFixed(2)}` : '-');
    }
    return row;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function latencyBoundMs(st: StepResult, latencyMs: number): number {
  return RUN_PHASES.reduce((n, p) => n + st.path[p], 0) * latencyMs;
}

/** Every step's calls by operation: round trips, and sub-requests carried inside batches. */
export function callsByOperation(steps: StepResult[]): string {
  const lines: string[] = [];
  for (const st of steps) {
    lines.push(`${st.step}:`);
    for (const [part, tally] of Object.entries(st.calls)) {
      const ops = Object.entries(tally).sort((x, y) => x[0].localeCompare(y[0]));
      if (ops.length === 0) continue;
      lines.push(`  ${part}: ${ops.map(([op, t]) => `${op} ${t.roundTrips}${t.subRequests ? ` (+${t.subRequests} inside)` : ''}`).join('; ')}`);
    }
  }
  return lines.join('\n');
}

/** How each bound was counted, per step, and the latency bound's critical path. */
export function boundBasis(steps: StepResult[], latencyMs: number): string {
  const lines: string[] = [];
  for (const st of steps) {
    lines.push(`${st.step}:`);
    for (const [part, b] of Object.entries(st.bounds)) lines.push(`  ${part} ≥ ${b.calls} call(s): ${b.basis}`);
    const phases = RUN_PHASES.map((p) => `${p} ${st.path[p]}`).join(' + ');
    lines.push(`  critical path: ${phases} = ${RUN_PHASES.reduce((n, p) => n + st.path[p], 0)} round trip(s)${latencyMs > 0 ? ` × ${latencyMs} ms = ${s(latencyBoundMs(st, latencyMs))}` : ''}`);
  }
  return lines.join('\n');
}

export function targetLines(targets: Target[]): string {
  const w = Math.max(...targets.map((t) => t.what.length));
  return targets.map((t) => `${t.met ? 'met   ' : 'MISSED'}  ${t.what.padEnd(w)}  ${t.measured} (limit ${t.limit})`).join('\n');
}

import type { Command } from 'commander';
import { standaloneContext, type CheckResult } from '../engine/types';
import { describeError } from '../errors';
import { withCommonOptions } from './common-options';
import { withRuntime, type CommonOptions } from './context';
import { write, type CliIO } from './io';

interface DoctorOptions extends CommonOptions {
  json?: boolean;
}

interface ConnectorReport {
  connector: string;
  role: 'source' | 'sink' | 'enricher';
  type: string;
  checks: CheckResult[];
}

export function commandDoctor(program: Command, io: CliIO): void {
  withCommonOptions(program.command('doctor').description('validate the config and mappings, and check every connector: reachability, credentials, permissions'), io.env)
    .option('--json', 'print the results as JSON')
    .action(async (opts: DoctorOptions) => {
      // Loading the runtime validates the config and mappings and opens the state file: a failure there is already a finding.
      await withRuntime(io, opts, async (rt) => {
        const ctx = (connector: string) => standaloneContext(rt.logger.child({ connector }), rt.clock, io.stop.signal);
        const reports: ConnectorReport[] = await Promise.all([
          ...rt.sources.map(async (s) => ({ connector: s.name, role: 'source' as const, type: s.type, checks: await safeCheck(() => s.check(ctx(s.name))) })),
          ...rt.enrichers.map(async (e) => ({ connector: e.name, role: 'enricher' as const, type: e.type, checks: await safeCheck(() => e.check(ctx(e.name))) })),
          ...rt.sinks.map(async ({ sink }) => ({ connector: sink.name, role: 'sink' as const, type: sink.type, checks: await safeCheck(() => sink.check(ctx(sink.name))) })),
        ]);
        const header: CheckResult[] = [
          { check: `config ${rt.loaded.file} is valid`, ok: true },
          { check: `state file ${rt.loaded.statePath} opens`, ok: true },
        ];
        const failed = reports.some((r) => r.checks.some((c) => !c.ok));
        if (opts.json) write(io.stdout, JSON.stringify({ ok: !failed, config: header, connectors: reports }));
        else write(io.stdout, render(header, reports, failed));
        io.exitCode = failed ? 1 : 0;
      });
    });
}

async function safeCheck(fn: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  try {
    return await fn();
  } catch (err) {
    return [{ check: 'connector check ran', ok: false, detail: describeError(err), hint: 'see the detail; run with --log-level debug for each request' }];
  }
}

function render(header: CheckResult[], reports: ConnectorReport[], failed: boolean): string {
  const line = (c: CheckResult) => {
    const out = [`  ${c.ok ? '✓' : '✗'} ${c.check}${c.detail ? `: ${c.detail}` : ''}`];
    if (!c.ok && c.hint) out.push(`      fix: ${c.hint}`);
    return out.join('\n');
  };
  const parts = [header.map(line).join('\n')];
  for (const r of reports) parts.push(`${r.role} ${r.connector} (${r.type})\n${r.checks.map(line).join('\n')}`);
  parts.push(failed ? 'Some checks failed; see the fixes above.' : 'All checks passed.');
  return parts.join('\n\n') + '\n';
}

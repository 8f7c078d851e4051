import type { Finding } from '../../inventory';
import { emptyResult, isLive, money, type Policy } from '../policy';

export interface ZombieConfig {
  enabled: boolean;
  /** Days without a single invocation that make a live endpoint a zombie. */
  idleDays: number;
  /** Younger endpoints are left alone: a new one may not have traffic yet. */
  minAgeDays: number;
  severity: Finding['severity'];
}

const DAY_MS = 86_400_000;

/**
 * A zombie: in service, billed, and not called once on any day of the idle
 * window. Serverless and scale-to-zero endpoints cost nothing idle, so they
 * are exempt (and the plan says so). Unknown usage is never read as zero.
 */
export const zombiePolicy: Policy<ZombieConfig> = {
  type: 'zombie',
  evaluate(input, config) {
    const out = emptyResult();
    for (const d of input.items) {
      if (d.kind !== 'deployment' || !d.usage) continue;
      const window = d.usage.daily.slice(-config.idleDays);
      if (d.usage.windowDays < config.idleDays || window.length < config.idleDays) {
        out.notes.push(`${d.endpoint}: usage covers ${d.usage.windowDays} day(s), fewer than policies.zombie.idleDays (${config.idleDays}); not judged`);
        continue;
      }
      out.evaluated.add(d.key);
      if (!isLive(d) || window.some((n) => n > 0)) continue;
      const variants = d.variants ?? [];
      if (variants.length > 0 && variants.every((v) => v.serverless)) {
        out.notes.push(`${title(d)}: no invocations in ${config.idleDays} days, but serverless: it costs nothing idle, so it is not a zombie`);
        continue;
      }
      if (variants.some((v) => v.minInstanceCount === 0)) {
        out.notes.push(`${title(d)}: no invocations in ${config.idleDays} days, but it scales to zero: not a zombie`);
        continue;
      }
      const ageDays = d.createdAt ? Math.floor((input.now.getTime() - Date.parse(d.createdAt)) / DAY_MS) : undefined;
      if (ageDays === undefined || ageDays < config.minAgeDays) continue;
      out.findings.push({
        key: d.key,
        finding: {
          type: 'zombie',
          severity: config.severity,
          detail: `in service for ${ageDays} days with no invocations in the last ${config.idleDays} days${d.usage.lastInvocationDay ? ` (last traffic ${d.usage.lastInvocationDay})` : ''}; ${money(d.cost)}`,
          ...(d.cost ? { monthlyWaste: d.cost.monthly } : {}),
        },
      });
    }
    return out;
  },
};

function title(d: { endpoint: string; component?: string }): string {
  return d.component ? `${d.endpoint}/${d.component}` : d.endpoint;
}

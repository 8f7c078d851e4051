import type { Finding } from '../../inventory';
import { emptyResult, type Policy } from '../policy';
import { aliasSet, families } from './production';

export interface StaleConfig {
  enabled: boolean;
  severity: Finding['severity'];
  productionAliases: string[];
  maxAgeDays: number;
  evaluationDateTags: string[];
}

const DAY_MS = 86_400_000;

/**
 * A production model that has had neither a new version nor a recorded
 * evaluation for `maxAgeDays`: nobody has looked at it for a long time. A
 * model whose versions carry no creation date and no evaluation date is not
 * judged (its age is unknown, not old). Dates, not day counts, go in the
 * detail, so it does not change (and rewrite sink fields) every day.
 */
export const stalePolicy: Policy<StaleConfig> = {
  type: 'stale',
  evaluate(input, config) {
    const out = emptyResult();
    const cutoff = input.now.getTime() - config.maxAgeDays * DAY_MS;
    for (const f of families(input.items, aliasSet(config.productionAliases))) {
      if (!f.production) {
        out.evaluated.add(f.model.key);
        continue;
      }
      const created = latest(f.versions.map((v) => v.createdAt));
      const evaluated = latest([f.model, ...f.versions].flatMap((i) => config.evaluationDateTags.map((t) => i.tags[t])));
      if (created === undefined && evaluated === undefined) continue;
      out.evaluated.add(f.model.key);
      if (Math.max(created ?? 0, evaluated ?? 0) >= cutoff) continue;
      const day = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString().slice(0, 10));
      const facts = [created !== undefined ? `no new version since ${day(created)}` : 'no version creation date', evaluated !== undefined ? `last evaluation ${day(evaluated)}` : 'no evaluation date recorded'];
      out.findings.push({
        key: f.model.key,
        finding: { type: 'stale', severity: config.severity, detail: `${f.model.name} is in production with ${facts.join(' and ')}; the policy asks for one within ${config.maxAgeDays} days` },
      });
    }
    return out;
  },
};

function latest(dates: ReadonlyArray<string | undefined>): number | undefined {
  let best: number | undefined;
  for (const d of dates) {
    const t = d ? Date.parse(d) : NaN;
    if (Number.isFinite(t) && (best === undefined || t > best)) best = t;
  }
  return best;
}

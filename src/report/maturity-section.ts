import type { MaturityScore } from '../enrich/maturity';
import { barChart, gauge } from './charts';
import { esc } from './escape';
import { percent } from './format';
import { badge, table } from './tables';

const tierClass = (tier: string) => `tier-${tier.toLowerCase()}`;

/** The lifecycle maturity score: a gauge with its tier, the score per source, and the models pulling it down. */
export function maturitySection(m: MaturityScore): string {
  const explain =
    '<p class="note">The share of production models (a version in the Production stage or with a production alias, and every live endpoint serving nothing registered) ' +
    'that are fully governed: registered, with lineage, a version, an owner and an evaluation. Elite above 90%, Good 70–90%, Average 40–70%, Weak 20–40%, Chaos below 20%.</p>';
  if (m.overall.total === 0) return `${explain}<p class="empty">No model is in production yet, so there is nothing to score.</p>`;
  const o = m.overall;
  const head =
    `<div class="charts"><figure><figcaption>Overall</figcaption>` +
    gauge({ id: 'maturity-gauge', title: 'Lifecycle maturity score', score: o.score, big: percent(o.score), small: o.tier, cls: tierClass(o.tier) }) +
    `<p><span class="tier">${esc(o.tier)}</span>: ${o.governed} of ${o.total} production model(s) fully governed.</p></figure>` +
    `<figure><figcaption>By source</figcaption>` +
    barChart({
      id: 'maturity-sources',
      title: 'Maturity score by source',
      desc: m.bySource.map((s) => `${s.source} ${percent(s.score)} (${s.tier})`).join('; '),
      bars: m.bySource.map((s) => ({ label: s.source, value: s.score, text: `${percent(s.score)} ${s.tier}`, cls: tierClass(s.tier) })),
      max: 1,
    }) +
    `</figure></div>`;
  return (
    explain +
    head +
    table({
      id: 'maturity-gaps',
      caption: 'Production models pulling the score down, and what each lacks',
      stack: true,
      sortable: true,
      rows: m.pullingDown,
      empty: 'Every production model is fully governed.',
      columns: [
        { head: 'Model', cell: (p) => `<span title="${esc(p.key)}">${esc(p.title)}</span>` },
        { head: 'Source', cell: (p) => esc(p.source) },
        { head: 'Missing', cell: (p) => p.missing.map((c) => badge(c, 'medium')).join(' '), sortBy: (p) => p.missing.length },
      ],
    })
  );
}

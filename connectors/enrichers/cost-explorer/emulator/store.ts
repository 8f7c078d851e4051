/**
 * What the Cost Explorer emulator holds: cost line items per UTC day, each
 * with its linked account, region, service and resource tags, and which tag
 * keys are activated for cost allocation. Indexed by day, so a request reads
 * only the days of its TimePeriod.
 */

export interface CostRecord {
  account: string;
  region: string;
  service: string;
  /** The resource's tags; only activated keys are visible to Cost Explorer. */
  tags: Record<string, string>;
  amount: number;
  unit: string;
}

export class CostStore {
  private readonly byDay = new Map<string, CostRecord[]>();
  private readonly active = new Map<string, string>();
  private readonly seenTags = new Set<string>();
  private readonly managementOf = new Map<string, string>();

  add(day: string, record: CostRecord): void {
    const list = this.byDay.get(day) ?? [];
    list.push(record);
    this.byDay.set(day, list);
    for (const k of Object.keys(record.tags)) this.seenTags.add(k);
  }

  recordsOf(day: string): readonly CostRecord[] {
    return this.byDay.get(day) ?? [];
  }

  /** Puts `member` in the organization `management` pays for: its cost shows in both accounts' Cost Explorer. */
  join(member: string, management: string): void {
    this.managementOf.set(member, management);
  }

  isMemberOf(member: string, management: string): boolean {
    return this.managementOf.get(member) === management;
  }

  /** Activates a tag key for cost allocation (as of `day`, for ListCostAllocationTags). */
  activate(tagKey: string, day: string): void {
    this.active.set(tagKey, day);
  }

  isActive(tagKey: string): boolean {
    return this.active.has(tagKey);
  }

  /** The tag as Billing shows it: the value of an activated key, else "" (as if untagged). */
  tagValue(record: CostRecord, tagKey: string): string {
    return this.active.has(tagKey) ? (record.tags[tagKey] ?? '') : '';
  }

  /** Every user-defined tag key Billing knows: activated, or seen on a resource. */
  tagKeys(): Array<{ key: string; activatedOn?: string }> {
    const keys = new Set([...this.seenTags, ...this.active.keys()]);
    return [...keys].sort().map((key) => ({ key, activatedOn: this.active.get(key) }));
  }
}

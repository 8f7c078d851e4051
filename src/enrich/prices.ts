import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../config/package-root';
import { ConfigError } from '../errors';
import type { PriceTable } from './cost';

const shipped = z.object({ currency: z.string(), hourly: z.record(z.string(), z.number().nonnegative()) });

/**
 * The shipped price table (config/prices.yaml) under the config's `cost`
 * settings: its currency, hours a month, and instance-type prices that
 * override the shipped ones. A config in another currency gets only its own
 * prices: mixing currencies would make every sum wrong.
 */
export function priceTable(cost: { currency: string; hoursPerMonth: number; prices: Record<string, number> }): PriceTable {
  const file = path.join(packageRoot(), 'config', 'prices.yaml');
  const parsed = shipped.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ConfigError(`${file}: not a price table: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { file });
  const base = parsed.data.currency === cost.currency ? parsed.data.hourly : {};
  return { currency: cost.currency, hoursPerMonth: cost.hoursPerMonth, hourly: { ...base, ...cost.prices } };
}

import { setFlagsFromString } from 'node:v8';

/**
 * How far the heap may grow past what the last full collection kept, in
 * percent. A sync holds the whole registry (every item, and its record) while
 * it allocates several times that in pages and records that live a moment;
 * V8's default lets the heap grow to about four times the live set between
 * full collections, and peak RSS follows it. At 1.5 times, a no-op of 50,000
 * versions peaks at 440 MB instead of 630 MB for about 5 % more CPU, most of
 * it spent by the collector on the other core (`npm run bench` measures both).
 */
const HEAP_GROWING_PERCENT = 50;

/** Set once, before a sync allocates anything large: a process-wide V8 setting. */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

import { capErrors } from '../../src/app/error-list';

describe('the errors a run record keeps', () => {
  it('keeps every error up to the limit', () => {
    const errors = ['a', 'b', 'c'];
    expect(capErrors(errors, 3)).toEqual(errors);
  });

  it('keeps the first ones past the limit and counts the rest, pointing at the journal', () => {
    const errors = Array.from({ length: 250_000 }, (_, i) => `write ${i} failed`);
    const kept = capErrors(errors, 100);
    expect(kept).toHaveLength(101);
    expect(kept[99]).toBe('write 99 failed');
    expect(kept[100]).toBe('… and 249900 more errors (each failed write is in the journal: masync history KEY)');
  });
});

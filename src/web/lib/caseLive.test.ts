import { describe, expect, it } from 'vitest';
import { concernsCase } from './caseLive.js';

describe('concernsCase', () => {
  const only42 = (id: number | string | undefined) => id === undefined || String(id) === '42';
  it.each([
    [{ topic: 'cases', caseId: 42 }, true],
    [{ topic: 'cases', caseId: 7 }, false],
    [{ topic: 'cases', caseIds: [1, 42] }, true],
    [{ topic: 'cases', caseIds: [1, 2] }, false],
    [{ topic: 'cases' }, true],
    [{ topic: 'cases', caseId: 7, merged: true }, true],
    [{ topic: 'cases', reconnected: true }, true],
  ] as const)('%j → %s', (change, expected) => {
    expect(concernsCase(change as never, only42)).toBe(expected);
  });
});

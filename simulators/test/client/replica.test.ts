/**
 * A replica found by log position (the shortcut every device after the first takes) holds exactly
 * what one found by name holds; a position that names another aggregate is not trusted.
 */
import { expect, test } from 'vitest';
import { AggregateNumbering, Replica } from '../../src/client/replica.js';

test('a pulled change is numbered by position only when the position names the same aggregate', () => {
  const numbering = new AggregateNumbering();
  const first = new Replica(numbering);
  const second = new Replica(numbering);
  expect(first.raisePulled(0, 'note', 'n1', 1)).toBe(true);
  expect(first.raisePulled(1, 'note', 'n2', 1)).toBe(true);
  expect(second.raisePulled(0, 'note', 'n1', 1)).toBe(true);
  // Position 1 was n2 for the first device; here it is another aggregate: numbered by name.
  expect(second.raisePulled(1, 'patient', 'n2', 4)).toBe(true);
  expect(second.versionOf('note', 'n2')).toBeUndefined();
  expect(second.versionOf('patient', 'n2')).toBe(4);
  expect(numbering.find('patient', 'n2')).toBe(2);
  expect(numbering.numberAt(1, 'note', 'n2')).toBe(1);
  // Far positions grow the table; known aggregates keep their versions and move only up.
  expect(second.raisePulled(5_000, 'note', 'n2', 3)).toBe(true);
  expect(second.raisePulled(5_001, 'note', 'n2', 2)).toBe(false);
  expect(second.versionOf('note', 'n2')).toBe(3);
  expect(first.versionOf('note', 'n2')).toBe(1);
});

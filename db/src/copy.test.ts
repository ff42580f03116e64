// CopyBuffer hands out pieces of COPY text: whatever the pieces, their bytes in order must be the
// lines exactly, including lines longer than a piece and multi-byte text across piece boundaries.
import { describe, expect, it } from 'vitest';
import { CopyBuffer } from './copy.ts';

describe('CopyBuffer', () => {
  it('hands out the lines byte for byte, in pieces, long lines included', () => {
    const buffer = new CopyBuffer();
    const pieces: Buffer[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 120_000; i++) {
      // Two lines longer than a piece (5 MB of two-byte characters), one of them the last.
      const long = i === 40_001 || i === 119_999 ? 'é'.repeat(2_500_000) : '';
      const cells = [String(i), `威宁县第${i}村`, long, '\\N'];
      expected.push(`${cells.join('\t')}\n`);
      const full = buffer.add(cells);
      if (full) pieces.push(full);
    }
    const rest = buffer.rest();
    if (rest) pieces.push(rest);
    expect(buffer.rest()).toBeNull();
    expect(pieces.length).toBeGreaterThan(2);
    expect(Buffer.concat(pieces).equals(Buffer.from(expected.join('')))).toBe(true);
  });

  it('gives nothing for no lines', () => {
    expect(new CopyBuffer().rest()).toBeNull();
  });
});

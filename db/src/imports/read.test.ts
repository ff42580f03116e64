// The first pass decides a CSV's encoding: UTF-8 only if every byte is, checked chunk by chunk. A
// character cut between two chunks must read as whole, and a bad byte anywhere (the last one too)
// must make the file GB18030 — a wrong answer here reads every Chinese name as nonsense.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGb18030, inspectFile, Utf8Check } from './read.ts';

const dir = mkdtempSync(join(tmpdir(), 'rrm-read-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Utf8Check over the bytes cut into chunks at `cuts`. */
function checkInChunks(bytes: Buffer, cuts: readonly number[]): boolean {
  const check = new Utf8Check();
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    check.update(bytes.subarray(from, cut));
    from = cut;
  }
  return check.end();
}

describe('Utf8Check', () => {
  // One, two, three and four bytes: a, é, 威, 😀.
  const text = Buffer.from('a,é,威宁,😀\n昭觉,镇雄\n');

  it('reads UTF-8 as UTF-8 however it is cut, inside a character or not', () => {
    for (let i = 0; i <= text.length; i++)
      for (let j = i; j <= text.length; j++)
        expect(checkInChunks(text, [i, j]), `cut at ${i}, ${j}`).toBe(true);
  });

  it('refuses a bad byte wherever it is, and a character cut off at the very end', () => {
    const broken = [
      Buffer.concat([text, Buffer.from([0xff])]),
      Buffer.concat([Buffer.from([0x80]), text]),
      Buffer.concat([text.subarray(0, 5), Buffer.from([0xc0, 0xaf]), text.subarray(5)]), // overlong '/'
      Buffer.concat([text, Buffer.from([0xed, 0xa0, 0x80])]), // a surrogate
      Buffer.concat([text, Buffer.from('😀').subarray(0, 3)]), // 😀 cut short
      Buffer.concat([text, Buffer.from([0xe5, 0xa8])]), // 威 without its last byte
    ];
    for (const bytes of broken)
      for (let i = 0; i <= bytes.length; i++)
        expect(checkInChunks(bytes, [i]), `${bytes.toString('hex')} cut at ${i}`).toBe(false);
  });

  it('agrees with the strict decoder on random bytes, cut at random', () => {
    // Bytes biased to the ends of UTF-8's ranges (lead bytes, continuation bytes, F4 90, C0/C1,
    // ED A0), from a fixed seed: the same cases every run.
    const pool = [
      0x41, 0x80, 0x8f, 0x90, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe5, 0xed, 0xa0, 0xef, 0xf0, 0xf4, 0xf5,
      0xff,
    ];
    let state = 20261202;
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const strict = new TextDecoder('utf-8', { fatal: true });
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = Buffer.from(
        Array.from({ length: 1 + next(8) }, () => (next(3) ? pool[next(pool.length)]! : 0x41)),
      );
      const cuts = [next(bytes.length + 1), next(bytes.length + 1)].sort((a, b) => a - b);
      let expected = true;
      try {
        strict.decode(bytes);
      } catch {
        expected = false;
      }
      if (expected) valid++;
      expect(checkInChunks(bytes, cuts), `${bytes.toString('hex')} cut at ${cuts}`).toBe(expected);
    }
    // Both answers occur often enough to mean something.
    expect(valid).toBeGreaterThan(1000);
    expect(valid).toBeLessThan(19_000);
  });
});

describe('inspectFile', () => {
  it('finds UTF-8 across its read chunks, and GB18030 from a byte past the first megabyte', async () => {
    // 威 (three bytes) straddles the first 1 MB read.
    const head = 'village_code,name\n'.padEnd(1024 * 1024 - 1, '#');
    const utf8 = join(dir, 'utf8.csv');
    writeFileSync(utf8, `${head}威\n520102001001,威宁\n`);
    expect(Buffer.from(head).length).toBe(1024 * 1024 - 1);
    expect((await inspectFile(utf8)).encoding).toBe('utf-8');

    const gbk = join(dir, 'gbk.csv');
    writeFileSync(gbk, Buffer.concat([Buffer.from(`${head}#\n`), encodeGb18030('520102001001,威宁\n')]));
    const facts = await inspectFile(gbk);
    expect(facts).toMatchObject({ encoding: 'gb18030', format: 'csv' });
    expect(facts.bytes).toBe(1024 * 1024 + 1 + encodeGb18030('520102001001,威宁\n').length);
  });
});

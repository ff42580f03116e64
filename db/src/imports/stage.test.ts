// The undo record of the keys an import copied straight into a table is JSON written by JsonArray:
// it must read back as the keys exactly (a rollback deletes by them), and a key that could not
// (half of a surrogate pair, which the table would hold as U+FFFD) must stop the import.
import { describe, expect, it } from 'vitest';
import { JsonArray } from './stage.ts';

describe('JsonArray', () => {
  it('writes values that JSON reads back exactly, past its runs of values', () => {
    const values: unknown[] = ['520102001001', 2014, 'a "quoted" \\ code', '威宁\t彝族', null, 12.5, '😀'];
    for (let i = 0; i < 10_000; i++) values.push(`5201020${String(i).padStart(5, '0')}`);
    const array = new JsonArray();
    for (const v of values) array.push(v);
    expect(JSON.parse(array.text())).toEqual(values);
    expect(new JsonArray().text()).toBe('[]');
  });

  it('refuses half of a surrogate pair, alone or at either end', () => {
    for (const bad of ['\ud800', 'a\udc00', '\ud83d', 'x\ud83dy', '\ude00😀'])
      expect(() => new JsonArray().push(bad), JSON.stringify(bad)).toThrow(/surrogate/);
  });
});

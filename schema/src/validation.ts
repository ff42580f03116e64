import { badInput } from './errors.ts';

/** A region code prefix: 2 (province), 4 (prefecture), 6 (county), 9 (township) or 12 (village) digits. */
export function regionCodePrefix(argument: string, value: string | null | undefined): string | null {
  if (value == null || value === '') return null;
  if (!/^\d+$/.test(value) || ![2, 4, 6, 9, 12].includes(value.length)) {
    throw badInput(
      argument,
      `"${value}" is not a region code: use 2, 4, 6, 9 or 12 digits (GB/T 2260 / NBS)`,
    );
  }
  return value;
}

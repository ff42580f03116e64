// The one parser of cells every dataset shares (numbers, dates, choices, text refused when it is a
// formula or holds control characters) and the header lookup: a column by its Chinese or English name.
import { type Choice, type ColumnSpec, TEXT_MAX_LENGTH, type Value } from './spec.ts';

const DIGITS = /^\d+$/;
/** A decimal number: 1234, -5, 0.25, 1e3, or with thousands separators 1,234.5; not 0x1F, Infinity or ''. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const GROUPED = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** The value of up to 15 ASCII digits, or -1: most cells of a figures file are whole numbers. */
function digitsValue(text: string): number {
  if (text.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function toNumber(text: string): number {
  const whole = digitsValue(text);
  if (whole >= 0) return whole;
  if (DECIMAL.test(text)) return Number(text);
  if (GROUPED.test(text)) return Number(text.replace(/,/g, ''));
  return Number.NaN;
}

/**
 * A cell as an error message quotes it: a long cell is cut, so that a hostile megabyte-long cell
 * makes neither a megabyte-long message nor a thousand of them.
 */
function quoted(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Text a spreadsheet program would take for a formula when the value is exported again (=, +, -,
 * @ first: the characters the exports escape). No name or label starts so; a formula that reached
 * a text cell is a mistake or an attack, and is refused rather than stored.
 */
const FORMULA_START = /^[=+\-@]/;

// C0 controls but tab, line feed and carriage return (a finding may have lines), DEL, C1, and the
// bidirectional embeddings, overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const TRUE = new Set(['是', 'true', 'yes', 'y', '1', 't', '√']);
const FALSE = new Set(['否', 'false', 'no', 'n', '0', 'f', '']);

/** What separates the values of a `choices` cell: 、 , ， ; ； / and white space. */
const CHOICE_SEPARATOR = /[、,，;；/\s]+/;

/** The choice a text names (its value, Chinese label or an alias), or a report naming the allowed ones. */
function findChoice(
  choices: readonly Choice[],
  text: string,
  report: (zh: string, en: string) => void,
): Choice | undefined {
  const lower = text.toLowerCase();
  const found = choices.find((c) => c.value === lower || c.zh === text || (c.aliases ?? []).includes(text));
  if (!found)
    report(
      `应为 ${choices.map((c) => c.zh).join('、')} 之一，实为“${quoted(text)}”`,
      `must be one of ${choices.map((c) => `${c.value} (${c.zh})`).join(', ')}, got "${quoted(text)}"`,
    );
  return found;
}

/** Parses one cell of a column; returns the value or reports why not. Empty → null. */
export function parseCell(
  column: ColumnSpec,
  raw: unknown,
  report: (zh: string, en: string) => void,
): Value | undefined {
  let text: string;
  if (raw === null || raw === undefined) text = '';
  else if (typeof raw === 'number' || typeof raw === 'boolean') text = String(raw);
  else text = String(raw).trim();
  if (text === '') {
    if (column.type === 'bool' && !column.required) return false;
    if (column.required) {
      report('必填，不能为空', 'is required and empty');
      return undefined;
    }
    return null;
  }
  switch (column.type) {
    case 'text': {
      // The export writes '=… for a cell starting with = + - @ so that Excel shows it as text:
      // the quote says "this is text", and is not part of it.
      if (/^'[=+\-@]/.test(text)) text = text.slice(1);
      const max = column.maxLength ?? TEXT_MAX_LENGTH;
      // Characters as people count them (code points); a cell of more than two UTF-16 units per
      // allowed character is too long without counting (a hostile 100 MB cell is not spread out).
      const length = text.length > 2 * max ? text.length : text.length > max ? [...text].length : text.length;
      if (length > max) {
        report(
          `过长：${length > 2 * max ? `超过 ${2 * max}` : length} 个字符，最多 ${max} 个`,
          `is too long: ${length > 2 * max ? `over ${2 * max}` : length} characters, at most ${max}`,
        );
        return undefined;
      }
      // NUL, other control characters and the direction overrides that can disguise a name on
      // the map or in an export (U+202A–202E, U+2066–2069) have no place in a name or a finding.
      const control = CONTROL.exec(text);
      if (control) {
        const code = `U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
        report(`含有不可见的控制字符 ${code}`, `contains an invisible control character ${code}`);
        return undefined;
      }
      if (FORMULA_START.test(text) && !column.formulaText) {
        report(
          `不能以“${text[0]}”开头（电子表格会当作公式）：“${quoted(text)}”`,
          `must not start with "${text[0]}" (a spreadsheet would take it for a formula): "${quoted(text)}"`,
        );
        return undefined;
      }
      return text;
    }
    case 'choice':
      return findChoice(column.choices ?? [], text, report)?.value;
    case 'choices': {
      const choices = column.choices ?? [];
      // No list of labels comes near it; a hostile cell is refused before it is split.
      if (text.length > TEXT_MAX_LENGTH) {
        report(`过长：超过 ${TEXT_MAX_LENGTH} 个字符`, `is too long: over ${TEXT_MAX_LENGTH} characters`);
        return undefined;
      }
      const parts = text.split(CHOICE_SEPARATOR).filter(Boolean);
      if (parts.length === 0) {
        // Separators only (、、): as good as empty.
        if (column.required) report('必填，不能为空', 'is required and empty');
        return column.required ? undefined : null;
      }
      if (parts.length > choices.length) {
        report(
          `最多 ${choices.length} 项，实为 ${parts.length} 项`,
          `holds at most ${choices.length} values, got ${parts.length}`,
        );
        return undefined;
      }
      const picked = new Set<string>();
      for (const part of parts) {
        const found = findChoice(choices, part, report);
        if (!found) return undefined;
        picked.add(found.value);
      }
      // In the choices' order, so the same set is always the same text (and compares equal).
      return choices
        .filter((c) => picked.has(c.value))
        .map((c) => c.value)
        .join(',');
    }
    case 'date':
      return parseDate(raw, text, report);
    case 'digits': {
      if (text.length !== column.digits || !DIGITS.test(text)) {
        report(
          `应为 ${column.digits} 位数字，实为“${quoted(text)}”`,
          `must be ${column.digits} digits, got "${quoted(text)}"`,
        );
        return undefined;
      }
      return text;
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      report(`应为“是”或“否”，实为“${quoted(text)}”`, `must be 是/否 (true/false), got "${quoted(text)}"`);
      return undefined;
    }
    default: {
      const n = typeof raw === 'number' ? raw : toNumber(text);
      if (!Number.isFinite(n)) {
        report(`不是数字：“${quoted(text)}”`, `is not a number: "${quoted(text)}"`);
        return undefined;
      }
      if (column.type === 'longitude' || column.type === 'latitude') {
        const [lo, hi] = column.type === 'longitude' ? [73, 136] : [3, 54];
        if (n < lo || n > hi) {
          report(
            `超出中国范围（${lo}–${hi}）：${quoted(text)}`,
            `is outside China (${lo}–${hi}): ${quoted(text)}`,
          );
          return undefined;
        }
        return n;
      }
      if (n < 0) {
        report(`不能为负数：${quoted(text)}`, `must not be negative: ${quoted(text)}`);
        return undefined;
      }
      if (column.type === 'share' && n > 1) {
        report(`比例应在 0–1 之间：${quoted(text)}`, `is a share and must lie within 0–1: ${quoted(text)}`);
        return undefined;
      }
      if (column.type === 'int' || column.type === 'year') {
        if (!Number.isInteger(n)) {
          report(`应为整数：${quoted(text)}`, `must be a whole number: ${quoted(text)}`);
          return undefined;
        }
        if (n > 2_147_483_647) {
          report(`数值过大：${quoted(text)}`, `is too large: ${quoted(text)}`);
          return undefined;
        }
      }
      if (column.type === 'year' && (n < (column.min ?? 0) || n > (column.max ?? 9999))) {
        report(
          `应在 ${column.min}–${column.max} 之间：${quoted(text)}`,
          `must lie within ${column.min}–${column.max}: ${quoted(text)}`,
        );
        return undefined;
      }
      return n;
    }
  }
}

const DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;

/** A real calendar date as YYYY-MM-DD (2021-02-30 is refused), from text or a spreadsheet date. */
function parseDate(raw: unknown, text: string, report: (zh: string, en: string) => void): Value | undefined {
  // A date cell: ExcelJS gives a Date at UTC midnight of the day shown.
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) return raw.toISOString().slice(0, 10);
  const m = DATE.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) {
      if (y < 2000 || y > 2100) {
        report(`年份超出范围（2000–2100）：${quoted(text)}`, `has a year outside 2000–2100: ${quoted(text)}`);
        return undefined;
      }
      return date.toISOString().slice(0, 10);
    }
  }
  report(
    `不是有效日期（应为 YYYY-MM-DD）：“${quoted(text)}”`,
    `is not a real date (YYYY-MM-DD): "${quoted(text)}"`,
  );
  return undefined;
}

/** Header text → column key: the Chinese header, the English key (snake_case or camelCase, any case). */
export function headerIndex(columns: readonly ColumnSpec[]): (header: string) => ColumnSpec | undefined {
  const byName = new Map<string, ColumnSpec>();
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');
  for (const c of columns) {
    byName.set(norm(c.zh), c);
    byName.set(norm(c.key), c);
  }
  return (header) => {
    // "人口（人）" and "population (people)": a unit in brackets after the name is allowed.
    const bare = header.replace(/[（(][^（）()]*[）)]\s*$/, '').trim();
    return byName.get(norm(header)) ?? byName.get(norm(bare));
  };
}

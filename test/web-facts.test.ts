// The dashboard's copy of the domain facts (web/src/facts.ts: web reaches db only over HTTP, and
// its TypeScript project cannot import db's) is the same as db's, so a change to the years or the
// ledger's time zone cannot leave the map behind. Read as text: the file is plain constants.
import { readFileSync } from 'node:fs';
import {
  DEFAULT_YEAR,
  FIRST_YEAR,
  LAST_YEAR,
  LEDGER_TIME_ZONE,
  MONITORING_FIRST_YEAR,
  villageIndicatorSql,
} from '@rrm/db';
import { describe, expect, it } from 'vitest';

const source = readFileSync(new URL('../web/src/facts.ts', import.meta.url), 'utf8');
const constants = Object.fromEntries(
  [...source.matchAll(/^export const (\w+) = (.+);$/gm)].map(([, name, value]) => [
    name,
    JSON.parse(value!.replace(/'/g, '"').replace(/_/g, '')),
  ]),
);

describe("the web app's domain facts", () => {
  it('are the ones db/src/facts.ts defines', () => {
    expect(constants).toEqual({
      FIRST_YEAR,
      LAST_YEAR,
      DEFAULT_YEAR,
      MONITORING_FIRST_YEAR,
      LEDGER_TIME_ZONE,
    });
  });

  it("knows which of the map's indicators villages have, as the API does", () => {
    const text = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
    const listed = (source: string, name: string) =>
      [...(new RegExp(`${name}[^=]*= \\[([^\\]]*)\\]`).exec(source)?.[1] ?? '').matchAll(/'(\w+)'/g)].map(
        (m) => m[1]!,
      );
    const mapIndicators = listed(text('../web/src/i18n.ts'), 'export const INDICATORS');
    const villageIndicators = listed(text('../web/src/data/queries.ts'), 'export const VILLAGE_INDICATORS');
    expect(mapIndicators.length).toBeGreaterThan(5);
    expect(villageIndicators).toEqual(
      mapIndicators.filter(
        (i) => villageIndicatorSql(i as Parameters<typeof villageIndicatorSql>[0]) !== null,
      ),
    );
  });
});

// GET /export/map.{csv|xlsx}?level=COUNTY&indicator=PER_CAPITA_NET_INCOME&year=2021
//   &method=QUANTILE&classes=5&parentCode=52&change=1&breaks=0,8000,12000&breaksOverYears=2016&lang=zh
// GET /export/map.{csv|xlsx}?county=520526&indicator=…&year=…&method=…&classes=…&change=1&breaks=…
// "The numbers behind the map being looked at": one row per region of the map (or per village of
// the county drilled into), with its value, class, class bounds and rank, and those without a
// value with the reason. The values are the API's own: the same `choropleth` (or
// `villageChoropleth`) field is executed through the schema (same checks, same classes), so the
// file cannot disagree with the map.
import { type Database, STILL_LOADING } from '@rrm/db';
import { createContext, schema } from '@rrm/schema';
import type { Request, Response } from 'express';
import { GraphQLError, graphql } from 'graphql';
import { ConcurrencyLimit } from '../concurrency.ts';
import { isDatabaseUnavailable } from '../database-errors.ts';
import { sendStillLoading } from '../http/routes.ts';
import { readerFor } from '../read-routing.ts';
import type { ExportBatch } from './columns.ts';
import { CONTENT_TYPES, writeCsv, writeXlsx } from './writers.ts';

const CHOROPLETH = `query($level: RegionLevel!, $indicator: Indicator!, $year: Int!, $method: ClassificationMethod, $classes: Int, $parentCode: String, $change: Boolean, $breaks: [Float!], $breaksOverYears: [Int!]) {
  dataset { label }
  choropleth(level: $level, indicator: $indicator, year: $year, method: $method, classes: $classes, parentCode: $parentCode, change: $change, breaks: $breaks, breaksOverYears: $breaksOverYears) {
    breaks values { code name value classIndex rank } noData noVillages
  }
}`;

const VILLAGES = `query($county: String!, $indicator: Indicator!, $year: Int!, $method: ClassificationMethod, $classes: Int, $change: Boolean, $breaks: [Float!]) {
  dataset { label }
  choropleth: villageChoropleth(countyCode: $county, indicator: $indicator, year: $year, method: $method, classes: $classes, change: $change, breaks: $breaks) {
    breaks values { code name value classIndex rank } noData
  }
}`;

interface Answer {
  dataset: { label: string } | null;
  choropleth: {
    breaks: number[];
    values: { code: string; name: string; value: number; classIndex: number; rank: number }[];
    noData: string[];
    /** Regions only: a village without a value is one that did not report. */
    noVillages?: string[];
  };
}

type Lang = 'zh' | 'en';

/** The query's parameters that the field takes, by type; anything else is refused by name. */
const PARAMETERS = {
  level: 'text',
  indicator: 'text',
  year: 'int',
  method: 'text',
  classes: 'int',
  parentCode: 'text',
  change: 'boolean',
  breaks: 'floats',
  breaksOverYears: 'ints',
  county: 'text',
} as const;

/** A county's villages have no level, parent or other years: those belong to the regions' map. */
const NOT_WITH_COUNTY = ['level', 'parentCode', 'breaksOverYears'] as const;

class MapExportInputError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** Decimal numbers only: `Number()` would also take "0x7e5", "1e3" for an int, or " ". */
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^-?\d+$/;

/** The GraphQL variables from the URL; a value not of its type is passed on as text, for GraphQL to name. */
function variablesOf(query: Request['query']): Record<string, unknown> {
  // No prototype: a parameter named __proto__ is refused below, and never reaches an object's own.
  const variables: Record<string, unknown> = Object.create(null);
  for (const [name, raw] of Object.entries(query)) {
    if (name === 'lang') continue;
    if (!Object.hasOwn(PARAMETERS, name))
      throw new MapExportInputError(name, `unknown parameter; use ${Object.keys(PARAMETERS).join(', ')}`);
    const kind = PARAMETERS[name as keyof typeof PARAMETERS];
    if (typeof raw !== 'string') throw new MapExportInputError(name, 'give it once');
    const number = (text: string, pattern: RegExp) => (pattern.test(text) ? Number(text) : text);
    if (kind === 'text') variables[name] = raw;
    else if (kind === 'int') variables[name] = number(raw, INTEGER);
    else if (kind === 'boolean') {
      if (!['0', '1', 'true', 'false'].includes(raw)) throw new MapExportInputError(name, 'use 1 or 0');
      variables[name] = raw === '1' || raw === 'true';
    } else {
      const pattern = kind === 'ints' ? INTEGER : DECIMAL;
      variables[name] = raw === '' ? [] : raw.split(',').map((part) => number(part, pattern));
    }
  }
  if ('county' in variables)
    for (const name of NOT_WITH_COUNTY)
      if (name in variables)
        throw new MapExportInputError(name, "not with county (a county's villages have their own classes)");
  return { ...variables };
}

function columns(lang: Lang): string[] {
  return lang === 'zh'
    ? [
        '区划代码',
        '名称',
        '指标',
        '口径',
        '年份',
        '数值',
        '分级(1为最低)',
        '分级下限',
        '分级上限',
        '排名',
        '无数据原因',
      ]
    : [
        'code',
        'name',
        'indicator',
        'measure',
        'year',
        'value',
        'class',
        'class_from',
        'class_to',
        'rank',
        'no_data_reason',
      ];
}

/** What the value column holds: the indicator's value, or its change from the year before. */
const MEASURES = {
  value: { zh: '数值', en: 'value' },
  change: { zh: '比上年增减', en: 'change from the previous year' },
} as const;

const REASONS = {
  noVillages: { zh: '无监测村', en: 'no monitored villages' },
  notReported: { zh: '未上报', en: 'not reported' },
} as const;

const EXPORT_SLOTS = 2;

/** The names of the regions, or of the villages of a county, without a value. */
async function namesOf(
  context: ReturnType<typeof createContext>,
  codes: string[],
  of: 'region' | 'village',
): Promise<string[]> {
  const found = await context.loaders[of].loadMany(codes);
  return found.map((row) => (row && !(row instanceof Error) ? row.name : ''));
}

export function mapExportHandler(database: Database) {
  const slots = new ConcurrencyLimit(EXPORT_SLOTS);
  return async (req: Request, res: Response) => {
    const format = String(req.params.format ?? '');
    const lang: Lang = req.query.lang === 'en' ? 'en' : 'zh';
    const refuse = (argument: string, message: string) =>
      res.status(400).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', argument } }] });
    if (format !== 'csv' && format !== 'xlsx')
      return refuse('path', `unknown format "${format}": use csv or xlsx`);
    if (req.query.lang != null && req.query.lang !== 'zh' && req.query.lang !== 'en')
      return refuse('lang', 'use zh or en');
    let variables: Record<string, unknown>;
    try {
      variables = variablesOf(req.query);
    } catch (error) {
      if (error instanceof MapExportInputError) return refuse(error.argument, error.message);
      throw error;
    }

    // At most EXPORT_SLOTS computed at once, the others waiting in turn: each is a region scan per
    // year and its rows built in memory, and (unlike the same GraphQL request) is never answered
    // from the response cache.
    const outcome = await slots.run(async () => {
      // A read: from the replica when there is one (read-routing.ts).
      const source = await readerFor(database, (name) => req.get(name));
      const context = createContext(source);
      const result = await graphql({
        schema,
        source: 'county' in variables ? VILLAGES : CHOROPLETH,
        variableValues: variables,
        contextValue: context,
      });
      const answer = result.data as unknown as Answer | null | undefined;
      if (result.errors?.length || !answer) {
        // The database being away, or a fault, goes to the app's error handler (503, or 500 logged);
        // the rest (a variable of the wrong type, a year out of range) is the caller's to mend.
        for (const error of result.errors ?? []) {
          const original = error.originalError;
          if (isDatabaseUnavailable(error) || (original && !(original instanceof GraphQLError)))
            throw original ?? error;
        }
        return {
          refused: (result.errors ?? []).map((e) => ({
            message: e.message,
            extensions: {
              // A value GraphQL could not coerce names its variable, which is the URL's parameter.
              argument: /^Variable "\$(\w+)"/.exec(e.message)?.[1] ?? 'query',
              ...e.extensions,
              // The households still loading is not the caller's to mend: it keeps its code (503).
              code: e.extensions.code === STILL_LOADING ? STILL_LOADING : 'BAD_USER_INPUT',
            },
          })),
        };
      }

      const { choropleth, dataset } = answer;
      const { indicator, year } = variables as { indicator: string; year: number };
      const measure = MEASURES[variables.change ? 'change' : 'value'][lang];
      const noVillages = new Set(choropleth.noVillages);
      const names = await namesOf(context, choropleth.noData, 'county' in variables ? 'village' : 'region');
      const values: ExportBatch['values'] = choropleth.values.map((v) => [
        v.code,
        v.name,
        indicator,
        measure,
        year,
        v.value,
        v.classIndex + 1,
        choropleth.breaks[v.classIndex] ?? null,
        choropleth.breaks[v.classIndex + 1] ?? null,
        v.rank,
        null,
      ]);
      choropleth.noData.forEach((code, i) => {
        const name = names[i] ?? '';
        const reason = REASONS[noVillages.has(code) ? 'noVillages' : 'notReported'][lang];
        values.push([code, name, indicator, measure, year, null, null, null, null, null, reason]);
      });
      values.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      const stem = `map-${indicator.toLowerCase()}-${year}${variables.change ? '-change' : ''}${variables.parentCode ? `-${variables.parentCode}` : ''}${variables.county ? `-${variables.county}-villages` : ''}`;
      return { values, stem, label: dataset?.label ?? '' };
    });
    if ('refused' in outcome && outcome.refused) {
      if (outcome.refused.some((e) => e.extensions.code === STILL_LOADING)) return sendStillLoading(res);
      return res.status(400).json({ errors: outcome.refused });
    }

    // Written outside the slot: a client that reads slowly holds only its own request.
    res.setHeader('content-type', CONTENT_TYPES[format]);
    res.setHeader('content-disposition', `attachment; filename="${outcome.stem}.${format}"`);
    res.setHeader('cache-control', 'no-store');
    const batches = (async function* () {
      yield { values: outcome.values, geometries: [] };
    })();
    if (format === 'csv') await writeCsv(res, columns(lang), batches);
    else await writeXlsx(res, columns(lang), batches, 'map', outcome.label);
    res.end();
  };
}

// GET /export/map.{csv|xlsx}?level=COUNTY&indicator=PER_CAPITA_NET_INCOME&year=2021
//   &method=QUANTILE&classes=5&parentCode=52&change=1&breaks=0,8000,12000&breaksOverYears=2016&lang=zh
// "The numbers behind the map being looked at": one row per region of the map, with its value,
// class, class bounds and rank, and the regions without a value with the reason. The values are
// the API's own: the same `choropleth` field is executed through the schema (same checks, same
// classes), so the file cannot disagree with the map.
import type { Database } from '@rrm/db';
import { createContext, schema } from '@rrm/schema';
import type { Request, Response } from 'express';
import { GraphQLError, graphql } from 'graphql';
import { isDatabaseUnavailable } from '../database-errors.ts';
import { readerFor } from '../read-routing.ts';
import type { ExportBatch } from './columns.ts';
import { CONTENT_TYPES, writeCsv, writeXlsx } from './writers.ts';

const CHOROPLETH = `query($level: RegionLevel!, $indicator: Indicator!, $year: Int!, $method: ClassificationMethod, $classes: Int, $parentCode: String, $change: Boolean, $breaks: [Float!], $breaksOverYears: [Int!]) {
  dataset { label }
  choropleth(level: $level, indicator: $indicator, year: $year, method: $method, classes: $classes, parentCode: $parentCode, change: $change, breaks: $breaks, breaksOverYears: $breaksOverYears) {
    breaks values { code name value classIndex rank } noData noVillages
  }
}`;

interface Answer {
  dataset: { label: string } | null;
  choropleth: {
    breaks: number[];
    values: { code: string; name: string; value: number; classIndex: number; rank: number }[];
    noData: string[];
    noVillages: string[];
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
} as const;

class MapExportInputError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** The GraphQL variables from the URL; a value of the wrong type is passed on as text for GraphQL to name. */
function variablesOf(query: Request['query']): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(query)) {
    if (name === 'lang') continue;
    const kind = PARAMETERS[name as keyof typeof PARAMETERS];
    if (!kind)
      throw new MapExportInputError(name, `unknown parameter; use ${Object.keys(PARAMETERS).join(', ')}`);
    if (typeof raw !== 'string') throw new MapExportInputError(name, 'give it once');
    const number = (text: string) =>
      text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    if (kind === 'text') variables[name] = raw;
    else if (kind === 'int' || kind === 'boolean')
      variables[name] = kind === 'boolean' ? raw === '1' || raw === 'true' : number(raw);
    else variables[name] = raw === '' ? [] : raw.split(',').map(number);
  }
  return variables;
}

function columns(lang: Lang): string[] {
  return lang === 'zh'
    ? [
        '区划代码',
        '名称',
        '指标',
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
        'year',
        'value',
        'class',
        'class_from',
        'class_to',
        'rank',
        'no_data_reason',
      ];
}

const REASONS = {
  noVillages: { zh: '无监测村', en: 'no monitored villages' },
  notReported: { zh: '未上报', en: 'not reported' },
} as const;

export function mapExportHandler(database: Database) {
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

    // A read: from the replica when there is one (read-routing.ts).
    const source = await readerFor(database, (name) => req.get(name));
    const context = createContext(source);
    const result = await graphql({
      schema,
      source: CHOROPLETH,
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
      return res.status(400).json({
        errors: (result.errors ?? []).map((e) => ({
          message: e.message,
          extensions: {
            code: 'BAD_USER_INPUT',
            // A value GraphQL could not coerce names its variable, which is the URL's parameter.
            argument: /^Variable "\$(\w+)"/.exec(e.message)?.[1] ?? 'query',
            ...e.extensions,
          },
        })),
      });
    }

    const { choropleth, dataset } = answer;
    const { indicator, year } = variables as { indicator: string; year: number };
    const noVillages = new Set(choropleth.noVillages);
    const regions = await context.loaders.region.loadMany(choropleth.noData);
    const values: ExportBatch['values'] = choropleth.values.map((v) => [
      v.code,
      v.name,
      indicator,
      year,
      v.value,
      v.classIndex + 1,
      choropleth.breaks[v.classIndex] ?? null,
      choropleth.breaks[v.classIndex + 1] ?? null,
      v.rank,
      null,
    ]);
    choropleth.noData.forEach((code, i) => {
      const region = regions[i];
      const name = region && !(region instanceof Error) ? region.name : '';
      const reason = REASONS[noVillages.has(code) ? 'noVillages' : 'notReported'][lang];
      values.push([code, name, indicator, year, null, null, null, null, null, reason]);
    });
    values.sort((a, b) => String(a[0]).localeCompare(String(b[0])));

    const stem = `map-${indicator.toLowerCase()}-${year}${variables.parentCode ? `-${variables.parentCode}` : ''}`;
    res.setHeader('content-type', CONTENT_TYPES[format]);
    res.setHeader('content-disposition', `attachment; filename="${stem}.${format}"`);
    res.setHeader('cache-control', 'no-store');
    const batches = (async function* () {
      yield { values, geometries: [] };
    })();
    if (format === 'csv') await writeCsv(res, columns(lang), batches);
    else await writeXlsx(res, columns(lang), batches, 'map', dataset?.label ?? '');
    res.end();
  };
}

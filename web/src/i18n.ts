// Chinese first, English second; numbers formatted per locale (万 / 亿 in Chinese).
export type Lang = 'zh' | 'en';

export const INDICATORS = [
  'PER_CAPITA_NET_INCOME',
  'EMPLOYMENT_RATE',
  'OUT_MIGRANT_WORKERS',
  'PUBLIC_WELFARE_POSTS',
  'MONITORED_PER_1000',
  'RISK_REMOVED_SHARE',
  'HOUSEHOLDS_UNDER_LINE',
  'RELOCATED_PEOPLE',
  'RELOCATION_EMPLOYMENT_COVERAGE',
] as const;
export type Indicator = (typeof INDICATORS)[number];

export const INDICATOR_INFO: Record<
  Indicator,
  { zh: string; en: string; unit: { zh: string; en: string }; ratio?: boolean }
> = {
  PER_CAPITA_NET_INCOME: {
    zh: '脱贫人口人均纯收入',
    en: 'Per-capita net income of lifted households',
    unit: { zh: '元', en: 'yuan' },
  },
  EMPLOYMENT_RATE: {
    zh: '脱贫劳动力务工就业率',
    en: 'Employment rate of lifted labour',
    unit: { zh: '%', en: '%' },
    ratio: true,
  },
  OUT_MIGRANT_WORKERS: { zh: '外出务工人数', en: 'Out-migrant workers', unit: { zh: '人', en: 'people' } },
  MONITORED_PER_1000: {
    zh: '每千人监测户数',
    en: 'Monitored households per 1,000 people',
    unit: { zh: '户/千人', en: 'per 1,000' },
  },
  RISK_REMOVED_SHARE: {
    zh: '监测户风险消除占比',
    en: 'Monitored households with the risk removed',
    unit: { zh: '%', en: '%' },
    ratio: true,
  },
  HOUSEHOLDS_UNDER_LINE: {
    zh: '收入低于监测标准的监测户',
    en: 'Monitored households under the stored monitoring line',
    unit: { zh: '户', en: 'households' },
  },
  PUBLIC_WELFARE_POSTS: { zh: '公益岗位', en: 'Public-welfare posts', unit: { zh: '个', en: 'posts' } },
  RELOCATED_PEOPLE: { zh: '易地扶贫搬迁人口', en: 'Relocated people', unit: { zh: '人', en: 'people' } },
  RELOCATION_EMPLOYMENT_COVERAGE: {
    zh: '搬迁劳动力家庭就业覆盖率',
    en: 'Employment coverage of relocated households',
    unit: { zh: '%', en: '%' },
    ratio: true,
  },
};

export const TEXT = {
  title: { zh: '巩固拓展脱贫攻坚成果监测', en: 'Rural Revitalization Monitor' },
  indicator: { zh: '指标', en: 'Indicator' },
  year: { zh: '年份', en: 'Year' },
  method: { zh: '分级', en: 'Classes' },
  QUANTILE: { zh: '分位数', en: 'Quantile' },
  EQUAL_INTERVAL: { zh: '等间距', en: 'Equal interval' },
  NATURAL_BREAKS: { zh: '自然断点', en: 'Natural breaks' },
  fixedBreaks: { zh: '自定义分级', en: 'Fixed bounds' },
  fixedBreaksHint: {
    zh: '分级界值，由低到高，以逗号分隔（2–10 个），例如 0, 4000, 8000, 12000；高于最高界值的归入最高级。回车应用。',
    en: 'Class bounds, rising, comma-separated (2–10), e.g. 0, 4000, 8000, 12000; values above the last fall in the top class. Enter applies.',
  },
  noData: { zh: '无数据', en: 'No data' },
  noVillages: { zh: '无监测村', en: 'No monitored villages' },
  notReported: { zh: '本年未上报', en: 'Not reported this year' },
  notReportedChange: { zh: '本年或上年未上报', en: 'Not reported this year or last' },
  counties: { zh: '个县', en: 'counties' },
  prefectures: { zh: '个地市', en: 'prefectures' },
  provinces: { zh: '个省', en: 'provinces' },
  level: { zh: '层级', en: 'Level' },
  PROVINCE: { zh: '省级', en: 'Province' },
  PREFECTURE: { zh: '地级', en: 'Prefecture' },
  COUNTY: { zh: '县级', en: 'County' },
  rank: { zh: '排名', en: 'Rank' },
  loading: { zh: '加载中…', en: 'Loading…' },
  householdsLoading: {
    zh: '防止返贫监测户数据正在加载（首次启动时在地图之后加载，约一分钟），监测户相关指标稍后显示',
    en: 'The monitored households are still loading (a first start loads them after the map, in about a minute): their figures follow shortly',
  },
  language: { zh: 'English', en: '中文' },
  nation: { zh: '全国', en: 'China' },
  exportPng: { zh: '导出图片', en: 'Export PNG' },
  exportData: { zh: '数据', en: 'Data' },
  exportDataLine: {
    zh: '监测线下村占比在浏览器中计算，下载为CSV（可用Excel打开）',
    en: 'Shares under the monitoring line are worked out in the browser: downloaded as CSV (Excel opens it)',
  },
  play: { zh: '▶ 播放', en: '▶ Play' },
  pause: { zh: '⏸ 暂停', en: '⏸ Pause' },
  points: { zh: '个百分点', en: 'pp' },
  show: { zh: '显示', en: 'Show' },
  modeValue: { zh: '数值', en: 'Value' },
  changeVsPrevious: { zh: '比上年增减', en: 'change vs previous year' },
  change: { zh: '比上年', en: 'vs last year' },
  villagesUnit: { zh: '村', en: 'villages' },
  villageClasses: { zh: '各村', en: 'Villages' },
  southSeaIslands: { zh: '南海诸岛', en: 'South China Sea Islands' },
  villagesNotClassed: {
    zh: '搬迁指标按安置点和区县统计，村不分级',
    en: 'Relocation figures belong to sites and counties: villages are not classed',
  },
  noneUnderLine: { zh: '无村低于监测线', en: 'none under the line' },
  shareUnderLine: { zh: '低于监测线的村占比', en: 'Share of villages under' },
  underLine: { zh: '的村低于监测线', en: 'of villages under the line' },
  monitoringLine: { zh: '监测线试算（预览）', en: 'Monitoring line what-if (preview)' },
  indicatorGroupIncome: { zh: '收入与就业', en: 'Income and employment' },
  indicatorGroupMonitoring: { zh: '防止返贫监测', en: 'Monitoring (防止返贫)' },
  indicatorGroupRelocation: { zh: '易地扶贫搬迁', en: 'Relocation' },
  yuan: { zh: '元', en: 'yuan' },
  layers: { zh: '图层', en: 'Layers' },
  sites: { zh: '安置点', en: 'Relocation sites' },
  supervision: { zh: '挂牌督战', en: 'Listed supervision' },
  dataImport: { zh: '数据导入', en: 'Data import' },
  compare: { zh: '对比', en: 'Compare' },
  compareOff: { zh: '不对比', en: 'No comparison' },
  compareYear: { zh: '对比年份', en: 'Another year' },
  compareIndicator: { zh: '对比指标', en: 'Another indicator' },
  separateLegends: { zh: '图例分开', en: 'Separate legends' },
  separateLegendsHint: {
    zh: '默认两图共用一套分级（按两年的数值计算），同一颜色代表同一数值；勾选后各用各的分级',
    en: 'By default both maps share one set of classes (computed over both years), so a colour means the same value on each; tick for classes of each year alone',
  },
  close: { zh: '关闭', en: 'Close' },
  povertyCounty: { zh: '原贫困县', en: 'Former poverty county' },
  exitYear: { zh: '摘帽', en: 'exited' },
  notPovertyCounty: { zh: '非贫困县', en: 'Not a poverty county' },
  keyAssistanceCounty: { zh: '国家乡村振兴重点帮扶县', en: 'National key assistance county' },
  generatedMark: {
    zh: '（演示生成，非公布名单）',
    en: ' (generated for the demo, not from the published list)',
  },
  supervisedCounty: { zh: '挂牌督战县', en: 'Listed for supervision (挂牌督战)' },
  trend: { zh: '趋势', en: 'Trend' },
  monitoredVillages: { zh: '监测村', en: 'Monitored villages' },
  supervisedVillages: { zh: '挂牌督战村', en: 'Supervised villages' },
  relocationSites: { zh: '安置点', en: 'Relocation sites' },
  openProblems: { zh: '未销号问题', en: 'Open problems' },
  overdueProblems: { zh: '逾期问题', en: 'Overdue problems' },
  origins: { zh: '迁出村', en: 'Origin villages' },
  households: { zh: '户', en: 'households' },
  people: { zh: '人', en: 'people' },
  sitePeople: { zh: '安置人口', en: 'People' },
  siteHouseholds: { zh: '迁入户数', en: 'Households' },
  coverage: { zh: '就业覆盖率', en: 'Employment coverage' },
  incomeClasses: { zh: '人均纯收入(元)', en: 'Income (yuan)' },
  povertyVillage: { zh: '贫困村', en: 'Poverty village' },
  demoNote: { zh: '生成的演示数据，非真实统计', en: 'Generated demo data, not official statistics' },
  demo: {
    zh: '演示数据：地名、代码和边界真实；贫困县、挂牌督战县和部分重点帮扶县来自公布名单，其余认定和全部指标为生成数据。',
    en: 'Demo data: real places, codes and boundaries; poverty, 挂牌督战 and part of the key assistance counties from published lists; other designations and all figures generated.',
  },
} as const;

export function t(key: keyof typeof TEXT, lang: Lang): string {
  return TEXT[key][lang];
}

/** A number for people: 万 and 亿 in Chinese, thousands separators in English; ratios as %. */
export function formatValue(
  value: number | null | undefined,
  lang: Lang,
  options: { ratio?: boolean } = {},
): string {
  if (value == null || !Number.isFinite(value)) return t('noData', lang);
  if (options.ratio) return `${(value * 100).toFixed(1)}%`;
  const abs = Math.abs(value);
  if (lang === 'zh') {
    if (abs >= 1e8) return `${trim(value / 1e8)}亿`;
    if (abs >= 1e4) return `${trim(value / 1e4)}万`;
    return abs >= 100 ? Math.round(value).toString() : trim(value);
  }
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: abs >= 100 ? 0 : 1 }).format(value);
}

function trim(x: number): string {
  return Number(x.toFixed(Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2)).toString();
}

// Dataset `departments`: each county's registry of responsible departments (责任单位名录), keyed by
// county + name, with the department's kind and contact. Imported by admins only (the dataset says
// no region per row, so a supervisor cannot import it, and it is the ledger's, so an analyst
// cannot). An import adds departments and changes a kind or contact; a rename is the ledger
// page's (updateDepartment), since the name is the key and problems carry it.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { MAX_DEPARTMENTS_PER_COUNTY } from '../supervision/departments.ts';
import { DEPARTMENT_KIND_LABELS } from '../tables/supervision.ts';
import { loadCounties } from './checks.ts';
import type { Choice, DatasetSpec } from './spec.ts';
import { countyCodeColumn } from './spec.ts';

interface Context {
  counties: ReadonlyMap<string, unknown>;
  /** Each county's department names: those stored, then those the file adds, as it is read. */
  names: Map<string, Set<string>>;
}

const KIND_CHOICES: Choice[] = Object.entries(DEPARTMENT_KIND_LABELS).map(([value, zh]) => ({
  value,
  zh,
  // The registry's usual full names (住建局, 水利局 …) name the kind too.
  aliases: [`${zh}局`, `${zh}部门`],
}));

/** A county's set of names in the map, made empty the first time. */
function namesOf(names: Map<string, Set<string>>, county: string): Set<string> {
  let set = names.get(county);
  if (!set) {
    set = new Set();
    names.set(county, set);
  }
  return set;
}

export const departmentsDataset: DatasetSpec<Context> = {
  name: 'departments',
  zh: '责任单位名录',
  en: 'responsible departments',
  sheet: '责任单位',
  table: 'departments',
  key: ['county_code', 'name'],
  part: 'departments',
  changes: 'supervision',
  versionColumn: 'version',
  // 2,900 counties with a few dozen departments each.
  maxRows: 200_000,
  columns: [
    countyCodeColumn('责任单位所在县的 6 位代码', "the department's county (6 digits)"),
    {
      key: 'name',
      zh: '单位名称',
      en: 'name',
      type: 'text',
      required: true,
      maxLength: 50,
      noteZh: '如 县住房和城乡建设局（最多 50 字；同一县内不重名）；改名请在台账页面操作',
      noteEn:
        "e.g. the county's housing bureau (up to 50 characters, unique in its county); renaming is done on the ledger page",
      sqlType: 'text',
    },
    {
      key: 'kind',
      zh: '单位类别',
      en: 'kind',
      type: 'choice',
      choices: KIND_CHOICES,
      required: true,
      noteZh: `${Object.values(DEPARTMENT_KIND_LABELS).join('、')}`,
      noteEn: `one of ${Object.keys(DEPARTMENT_KIND_LABELS).join(', ')}`,
      sqlType: 'text',
    },
    {
      key: 'contact',
      zh: '联系方式',
      en: 'contact',
      type: 'text',
      required: false,
      maxLength: 100,
      noteZh: '联系人、电话（可不填，最多 100 字）',
      noteEn: 'contact person, telephone (optional, up to 100 characters)',
      sqlType: 'text',
    },
  ],
  example: {
    county_code: '520526',
    name: '县住房和城乡建设局',
    kind: '住建',
    contact: '张三 0857-1234567',
  },
  async prepare(db: Executor) {
    const [counties, stored] = await Promise.all([
      loadCounties(db),
      queryRows<{ county: string; name: string }>(
        db,
        sql`SELECT county_code AS county, name FROM departments`,
      ),
    ]);
    const names = new Map<string, Set<string>>();
    for (const d of stored) namesOf(names, d.county).add(d.name);
    return { counties, names };
  },
  check(row, context, report) {
    const county = row.county_code as string;
    if (!context.counties.has(county)) {
      report.error('county_code', `县代码 ${county} 不存在`, `there is no county ${county}`);
      return;
    }
    const names = namesOf(context.names, county);
    const name = row.name as string;
    if (names.has(name)) return;
    if (names.size >= MAX_DEPARTMENTS_PER_COUNTY)
      report.error(
        'name',
        `县 ${county} 的责任单位已达 ${MAX_DEPARTMENTS_PER_COUNTY} 个，不能再增加`,
        `county ${county} has ${MAX_DEPARTMENTS_PER_COUNTY} departments, the most a registry keeps`,
      );
    else names.add(name);
  },
};

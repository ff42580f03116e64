// Words of the data page (/data), Chinese first; ?lang=en switches, as on the other pages. A table
// of the same shape as i18n.ts's, kept apart so each page owns its words; d() also fills {placeholders}.
import type { Lang } from '../i18n.ts';

const TEXT = {
  title: { zh: '数据导入', en: 'Data import' },
  datasets: { zh: '数据集', en: 'Datasets' },
  dataset: { zh: '数据集', en: 'Dataset' },
  source: { zh: '来源', en: 'Source' },
  lastImport: { zh: '最近导入', en: 'Last import' },
  template: { zh: '模板', en: 'Template' },
  generated: { zh: '演示生成', en: 'Generated (demo)' },
  imported: { zh: '导入', en: 'Imported' },
  published: { zh: '公布名单', en: 'Published list' },
  never: { zh: '从未导入', en: 'Never imported' },
  upload: { zh: '上传文件', en: 'Upload a file' },
  file: { zh: '文件（.xlsx 或 .csv）', en: 'File (.xlsx or .csv)' },
  check: { zh: '预检（不写入）', en: 'Check (dry run, nothing written)' },
  checking: { zh: '正在预检…', en: 'Checking…' },
  applying: { zh: '正在导入…', en: 'Importing…' },
  preview: { zh: '预检结果', en: 'Dry run' },
  result: { zh: '导入结果', en: 'Import result' },
  rows: { zh: '行数', en: 'Rows' },
  newRows: { zh: '新增', en: 'New' },
  changedRows: { zh: '修改', en: 'Changed' },
  unchangedRows: { zh: '不变', en: 'Unchanged' },
  invalidRows: { zh: '有误', en: 'Invalid' },
  errors: { zh: '错误', en: 'Errors' },
  sheet: { zh: '工作表', en: 'Sheet' },
  row: { zh: '行', en: 'Row' },
  column: { zh: '列', en: 'Column' },
  message: { zh: '问题', en: 'Problem' },
  firstErrors: { zh: '前 {n} 条，共 {total} 条', en: 'first {n} of {total}' },
  examples: { zh: '修改示例（原值 → 新值）', en: 'Examples of changes (old → new)' },
  key: { zh: '记录', en: 'Record' },
  old: { zh: '原值', en: 'Old' },
  new: { zh: '新值', en: 'New' },
  empty: { zh: '（空）', en: '(empty)' },
  fixAndRetry: {
    zh: '文件有错误，未写入任何数据。请修改后重新预检。',
    en: 'The file has errors; nothing was written. Correct it and check again.',
  },
  nothingToChange: {
    zh: '文件与现有数据一致，导入不会改变任何数据。',
    en: 'The file matches the data: importing changes nothing.',
  },
  apply: { zh: '导入', en: 'Apply' },
  confirmApply: {
    zh: '确认将此文件导入“{dataset}”？新增 {new} 行，修改 {changed} 行，全部写入或全部不写入；可回退最近一次导入。',
    en: 'Import this file into “{dataset}”? {new} new and {changed} changed rows, all or nothing; the latest import can be rolled back.',
  },
  confirm: { zh: '确认', en: 'Confirm' },
  cancel: { zh: '取消', en: 'Cancel' },
  applied: {
    zh: '已导入（第 {id} 次导入）。地图和接口在下一次请求时显示新数据。',
    en: 'Applied (import {id}). The map and the API show the new figures on their next request.',
  },
  rollback: { zh: '回退最近一次导入', en: 'Roll back last import' },
  confirmRollback: {
    zh: '确认回退“{dataset}”最近一次导入（{file}）？其修改的数据恢复原值，新增的数据删除。',
    en: 'Roll back the latest import of “{dataset}” ({file})? The values it changed are restored, the rows it added removed.',
  },
  rolledBack: {
    zh: '已回退第 {id} 次导入：恢复 {restored} 行，删除 {deleted} 行。',
    en: 'Rolled back import {id}: {restored} rows restored, {deleted} removed.',
  },
  history: { zh: '导入记录', en: 'Import history' },
  id: { zh: '编号', en: 'No.' },
  fileName: { zh: '文件', en: 'File' },
  who: { zh: '导入人', en: 'By' },
  at: { zh: '时间', en: 'When' },
  status: { zh: '结果', en: 'Result' },
  applied_: { zh: '已导入', en: 'applied' },
  rejected_: { zh: '已拒绝（有错误）', en: 'rejected (errors)' },
  'rolled-back_': { zh: '已回退', en: 'rolled back' },
  failed_: { zh: '失败（未写入）', en: 'failed (nothing written)' },
  checked_: { zh: '已预检', en: 'checked' },
  noImports: { zh: '暂无导入记录', en: 'No imports yet' },
  mayNotImport: {
    zh: '您的角色（{role}）不能导入数据：管理员和分析人员可导入；督战人员只能导入其督战范围内的台账。',
    en: 'Your role ({role}) may not import data: admins and analysts may; supervisors import only ledgers of their region.',
  },
  notAllowed: { zh: '无权执行此操作', en: 'You may not do this' },
  loginEnded: { zh: '登录已失效，请重新登录', en: 'Your login has ended; log in again' },
  tooLarge: { zh: '文件过大', en: 'The file is too large' },
  unreadable: { zh: '无法读取文件', en: 'The file cannot be read' },
  help: {
    zh: '下载模板，按模板填写（第一行为中文列名，“说明”工作表解释每一列），上传后先预检：显示新增、修改、不变和有误的行数及修改示例；确认后导入，全部写入或全部不写入。',
    en: 'Download a template and fill it in (Chinese headers in the first row; the notes sheet explains each column). An upload is checked first: new, changed, unchanged and invalid rows, with examples of changes; applied on confirmation, all or nothing.',
  },
} as const;

export type DataText = keyof typeof TEXT;

/** A phrase in the page's language, with {name} placeholders filled in. */
export function d(key: DataText, lang: Lang, values: Record<string, string | number> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** The name of an import result (applied, rejected, …) in the page's language. */
export function resultName(result: string, lang: Lang): string {
  const key = `${result}_` as DataText;
  return key in TEXT ? d(key, lang) : result;
}

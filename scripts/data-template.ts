// `pnpm data:template <dataset> [--format xlsx|csv] [-o FILE]`: writes the import template of a
// dataset (the contract: a filled template imports). Exit 2 on usage errors.
import { parseArgs } from 'node:util';
import { DATASETS, writeTemplate } from '@rrm/db';

const usage = `usage: pnpm data:template <${Object.keys(DATASETS).join('|')}> [--format xlsx|csv] [-o FILE]`;
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { format: { type: 'string', default: 'xlsx' }, output: { type: 'string', short: 'o' } },
  });
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const dataset = positionals[0];
const format = values.format;
if (!dataset || !DATASETS[dataset] || (format !== 'xlsx' && format !== 'csv') || positionals.length > 1) {
  console.error(usage);
  process.exit(2);
}
const output = values.output ?? `${dataset}-template.${format}`;
await writeTemplate(dataset, format, output);
console.log(`wrote ${output}`);

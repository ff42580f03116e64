// Every importable dataset by name, and the error a caller's mistake (an unknown dataset, a
// rollback of an import that is not the latest) raises, as opposed to a failure of the database.
import { countyDesignationsDataset } from './county-designations.ts';
import { departmentsDataset } from './departments.ts';
import { householdMeasuresDataset } from './household-measures.ts';
import { householdsDataset } from './households.ts';
import { listingsDataset } from './listings.ts';
import { problemsDataset } from './problems.ts';
import { relocationOriginsDataset } from './relocation-origins.ts';
import { relocationSiteYearsDataset } from './relocation-site-years.ts';
import { relocationSitesDataset } from './relocation-sites.ts';
import type { DatasetSpec } from './spec.ts';
import { villageYearsDataset } from './village-years.ts';
import { villagesDataset } from './villages.ts';

/**
 * Every importable dataset, by the name the CLI and the API use, in the order to import them: a
 * village needs its county, a site's figures and origins need the site (and the villages), a
 * problem's department must be registered before the problem names it, a measure's household before
 * the measure.
 */
export const DATASETS: Record<string, DatasetSpec<never>> = {
  'county-designations': countyDesignationsDataset as DatasetSpec<never>,
  villages: villagesDataset as DatasetSpec<never>,
  'village-years': villageYearsDataset as DatasetSpec<never>,
  'relocation-sites': relocationSitesDataset as DatasetSpec<never>,
  'relocation-site-years': relocationSiteYearsDataset as DatasetSpec<never>,
  'relocation-origins': relocationOriginsDataset as DatasetSpec<never>,
  departments: departmentsDataset as DatasetSpec<never>,
  listings: listingsDataset as DatasetSpec<never>,
  problems: problemsDataset as DatasetSpec<never>,
  households: householdsDataset as DatasetSpec<never>,
  'household-measures': householdMeasuresDataset as DatasetSpec<never>,
};

export class ImportUsageError extends Error {}

export function datasetSpec(name: string): DatasetSpec<never> {
  // Own keys only: "constructor" or "__proto__" are not datasets.
  const spec = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
  if (!spec)
    throw new ImportUsageError(`unknown dataset "${name}"; one of: ${Object.keys(DATASETS).join(', ')}`);
  return spec;
}

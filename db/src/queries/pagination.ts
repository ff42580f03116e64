/** A page request: at most `first` rows after the row whose sort key is `after`. */
export interface Page<K> {
  first: number;
  after?: K | null;
}

/** Rows of one page and whether more follow (queries fetch first + 1 rows to know). */
export interface PageResult<T> {
  rows: T[];
  hasNextPage: boolean;
}

export function toPageResult<T>(rows: T[], first: number): PageResult<T> {
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

// What the adviser has set on the school table, kept by the app so that
// coming back from a school page finds the table as it was left.

import { DEFAULT_SORT, NO_FILTER, type SortOrder, type TableFilter } from './table';

export interface TableView {
  filter: TableFilter;
  sort: SortOrder;
}

export function freshView(): TableView {
  return { filter: { ...NO_FILTER }, sort: { ...DEFAULT_SORT } };
}

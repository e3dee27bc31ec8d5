// Lists the API pages by limit and offset (my tasks, my inbox): each page asks for one item more
// than it shows, so "next" is offered only when there is more, never onto an empty page.

/** The query of page `page` (from 0) of `size` items. */
export function pageQuery(page: number, size: number): { limit: number; offset: number } {
  return { limit: size + 1, offset: page * size };
}

/** What a page shows of the items its query brought, and whether a next page has any. */
export function pageOf<T>(items: T[], size: number): { shown: T[]; more: boolean } {
  return { shown: items.slice(0, size), more: items.length > size };
}

// Page-based pagination with GitHub's Link header (rel next/last/first/prev).

export interface PageQuery {
  per_page?: number | string;
  page?: number | string;
}

export interface Page<T> {
  items: T[];
  link: string | undefined;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

export function paginate<T>(all: readonly T[], query: PageQuery, requestUrl: URL): Page<T> {
  // Query values may still be strings when the router did not coerce them.
  const perPage = Math.min(
    Math.max(Number(query.per_page ?? DEFAULT_PER_PAGE) || DEFAULT_PER_PAGE, 1),
    MAX_PER_PAGE,
  );
  const page = Math.max(Number(query.page ?? 1) || 1, 1);
  const items = all.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(Math.ceil(all.length / perPage), 1);
  const at = (n: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set("page", String(n));
    if (query.per_page !== undefined) url.searchParams.set("per_page", String(perPage));
    return url.toString();
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`<${at(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) rels.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${at(1)}>; rel="first"`);
  return { items, link: rels.length > 0 ? rels.join(", ") : undefined };
}

/** The stand-in's reading of the few search-syntax terms the hub sends. */

export class InvalidArgument extends Error {
  override readonly name = "InvalidArgument";
}

/** A predicate for `field:>'iso'`, `field:>=iso`, `<` and `<=`; all rows pass when absent. */
export function timePredicate(query: string, field: string): (iso: string) => boolean {
  const match = query.match(new RegExp(`${field}:(>=|<=|>|<)'?([^'\\s]+)'?`));
  if (!match?.[1] || !match[2]) return () => true;

  const comparator = match[1];
  const bound = Date.parse(match[2]);
  if (Number.isNaN(bound)) throw new InvalidArgument(`Invalid ${field} value in query`);

  return (iso) => {
    const value = Date.parse(iso);
    if (comparator === ">=") return value >= bound;
    if (comparator === ">") return value > bound;
    if (comparator === "<=") return value <= bound;
    return value < bound;
  };
}

/** The value of `field:value`, if the query has it. */
export function termValue(query: string, field: string): string | undefined {
  return query.match(new RegExp(`${field}:'?([^'\\s]+)'?`))?.[1];
}

/** A forward page of `items` after an opaque cursor, with Relay `pageInfo`. */
export function paginate<T>(items: T[], first: number, after: string | null | undefined) {
  const start = after ? decodeCursor(after) : 0;
  const nodes = items.slice(start, start + first);
  const end = start + nodes.length;
  return {
    nodes,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? encodeCursor(start) : null,
      endCursor: nodes.length > 0 ? encodeCursor(end) : null,
    },
  };
}

function encodeCursor(offset: number): string {
  return btoa(`offset:${offset}`);
}

function decodeCursor(cursor: string): number {
  let decoded: string;
  try {
    decoded = atob(cursor);
  } catch {
    throw new InvalidArgument("Invalid cursor for current pagination sort.");
  }
  const match = decoded.match(/^offset:(\d+)$/);
  if (!match?.[1]) throw new InvalidArgument("Invalid cursor for current pagination sort.");
  return Number(match[1]);
}

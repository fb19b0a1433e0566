import type { Child } from "hono/jsx";

type Row = Record<string, unknown>;

/**
 * Renders a list of API records as a table: one column per scalar field of the first
 * rows, nested values as short JSON. Used for sections whose module another part of the
 * hub owns (drift, price books, audit), so a new field shows without a console change.
 */
export function DataTable(props: {
  rows: Row[];
  columns?: string[];
  actions?: (row: Row) => Child;
}) {
  if (props.rows.length === 0) return <p class="muted">Nothing to show.</p>;
  const columns = props.columns ?? columnsOf(props.rows);
  return (
    <table>
      <thead>
        <tr>
          {columns.map((column) => (
            <th>{column}</th>
          ))}
          {props.actions ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            {columns.map((column) => (
              <td>{cell(row[column])}</td>
            ))}
            {props.actions ? <td>{props.actions(row)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const MAX_COLUMNS = 10;
const MAX_CELL = 120;

function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows.slice(0, 5)) for (const key of Object.keys(row)) seen.add(key);
  return [...seen].slice(0, MAX_COLUMNS);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "string")
    return value.length > MAX_CELL ? `${value.slice(0, MAX_CELL)}…` : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const json = JSON.stringify(value);
  return json.length > MAX_CELL ? `${json.slice(0, MAX_CELL)}…` : json;
}

/** The `items` array of an API list answer, each item an object; `undefined` otherwise. */
export function itemsOf(data: unknown): Row[] | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const items = "items" in data ? data.items : undefined;
  if (!Array.isArray(items)) return undefined;
  return items.filter((item): item is Row => typeof item === "object" && item !== null);
}

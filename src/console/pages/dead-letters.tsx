import type { ApiResult } from "../api-client";
import { itemsOf } from "../components/data-table";
import { Section } from "../components/section";

type Row = Record<string, unknown>;

/**
 * Dead letters with their triage class (`errorClass` / `errorCode`) and a one-click
 * replay: a plain form POST carrying the session's CSRF token, no script needed.
 */
export function DeadLetterTable(props: {
  rows: Row[];
  csrfToken: string;
  canOperate: boolean;
  returnTo: string;
}) {
  if (props.rows.length === 0) return <p class="muted">No dead letters.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Parked</th>
          <th>Shop</th>
          <th>Topic</th>
          <th>Order</th>
          <th>Triage</th>
          <th>Error</th>
          <th>Attempts</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const id = String(row.id ?? "");
          return (
            <tr data-dead-letter={id}>
              <td>{String(row.createdAt ?? "")}</td>
              <td>{String(row.shop ?? "")}</td>
              <td>{String(row.topic ?? "")}</td>
              <td>{row.orderId ? String(row.orderId) : "–"}</td>
              <td>
                <strong>{String(row.errorClass ?? "")}</strong>
                <br />
                <code>{String(row.errorCode ?? "")}</code>
              </td>
              <td>{String(row.errorMessage ?? "").slice(0, 200)}</td>
              <td>{String(row.attempts ?? "")}</td>
              <td class="status">
                {String(row.status ?? "")}
                {Number(row.replayCount ?? 0) > 0 ? ` (${String(row.replayCount)}×)` : ""}
              </td>
              <td>
                {props.canOperate && row.status !== "discarded" ? (
                  <form
                    method="post"
                    action={`/admin/dead-letters/${encodeURIComponent(id)}/replay`}
                  >
                    <input type="hidden" name="_csrf" value={props.csrfToken} />
                    <input type="hidden" name="shop" value={String(row.shop ?? "")} />
                    <input type="hidden" name="returnTo" value={props.returnTo} />
                    <button type="submit">Replay</button>
                  </form>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** `/admin/dead-letters`: the list, filtered by status. */
export function DeadLettersPage(props: {
  status: string;
  result: ApiResult;
  csrfToken: string;
  canOperate: boolean;
}) {
  return (
    <>
      <form method="get" action="/admin/dead-letters">
        <label for="status">Status </label>
        <select id="status" name="status">
          {["open", "replayed", "discarded"].map((status) => (
            <option value={status} selected={status === props.status}>
              {status}
            </option>
          ))}
        </select>{" "}
        <button type="submit">Filter</button>
      </form>
      <Section
        id="dead-letters"
        title={`Dead letters: ${props.status}`}
        result={props.result}
        render={(value) => (
          <DeadLetterTable
            rows={itemsOf(value) ?? []}
            csrfToken={props.csrfToken}
            canOperate={props.canOperate}
            returnTo={`/admin/dead-letters?status=${props.status}`}
          />
        )}
      />
    </>
  );
}

import type { ApiResult } from "../api-client";
import { DataTable, itemsOf } from "../components/data-table";
import { Section } from "../components/section";

export interface AuditSearch {
  actor: string;
  action: string;
  subject: string;
}

/** `/admin/audit`: search the audit log by actor, action or subject (exact match). */
export function AuditPage(props: { search: AuditSearch; result: ApiResult }) {
  return (
    <>
      <form method="get" action="/admin/audit">
        {(["actor", "action", "subject"] as const).map((field) => (
          <>
            <label for={field}>{field} </label>
            <input id={field} name={field} value={props.search[field]} />{" "}
          </>
        ))}
        <button type="submit">Search</button>
      </form>
      <Section
        id="audit"
        title="Audit entries, newest first"
        result={props.result}
        render={(value) => (
          <DataTable
            rows={itemsOf(value) ?? []}
            columns={["seq", "at", "actor", "action", "subject", "before", "after"]}
          />
        )}
      />
    </>
  );
}

import type { OrderTimeline } from "../order-timeline";

/** `/admin/orders`: look an order up by name or id and read what the hub did for it. */
export function OrderLookupPage(props: { query: string; timelines: OrderTimeline[] | undefined }) {
  return (
    <>
      <form method="get" action="/admin/orders">
        <label for="q">Order name or id </label>
        <input id="q" name="q" value={props.query} placeholder="#1001 or 6401928374650" required />{" "}
        <button type="submit">Find</button>
      </form>
      {props.timelines === undefined ? null : props.timelines.length === 0 ? (
        <p class="muted" role="status">
          No order matches “{props.query}”.
        </p>
      ) : (
        props.timelines.map((timeline) => (
          <section data-order={timeline.orderId}>
            <h2>
              {timeline.orderName ?? "(no name yet)"} · {timeline.orderId} · {timeline.shop}
            </h2>
            <table>
              <thead>
                <tr>
                  <th>When (UTC)</th>
                  <th>What</th>
                  <th>Detail</th>
                  <th>Trace id</th>
                </tr>
              </thead>
              <tbody>
                {timeline.entries.map((entry) => (
                  <tr data-kind={entry.kind}>
                    <td>{new Date(entry.at).toISOString()}</td>
                    <td>{entry.kind.replace("_", " ")}</td>
                    <td>{entry.summary}</td>
                    <td>
                      <code>{entry.traceId ?? "–"}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </>
  );
}

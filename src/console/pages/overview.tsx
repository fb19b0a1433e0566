import type { ApiResult } from "../api-client";
import { LineChart } from "../components/chart";
import { DataTable, itemsOf } from "../components/data-table";
import { Section } from "../components/section";
import { chartsOf, sloTiles, statusClass } from "../view-models";
import { DeadLetterTable } from "./dead-letters";

/** Every section of the overview, each the answer of one admin API call. */
export interface OverviewData {
  slo: ApiResult;
  metrics: ApiResult;
  alerts: ApiResult;
  breakers: ApiResult;
  deadLetters: ApiResult;
  cronRuns: ApiResult;
  inventoryDrift: ApiResult;
  priceBooks: ApiResult;
}

/** `/admin`: is everything flowing? SLOs first, then what needs a person. */
export function Overview(props: { data: OverviewData; csrfToken: string; canOperate: boolean }) {
  const { data } = props;
  return (
    <>
      <Section id="slo" title="Service levels" result={data.slo} render={renderSlos} />
      <Section id="alerts" title="Open alerts" result={data.alerts} render={renderList} />
      <Section id="metrics" title="Metrics over time" result={data.metrics} render={renderCharts} />
      <Section
        id="dead-letters"
        title="Open dead letters"
        result={data.deadLetters}
        render={(value) => (
          <DeadLetterTable
            rows={itemsOf(value) ?? []}
            csrfToken={props.csrfToken}
            canOperate={props.canOperate}
            returnTo="/admin"
          />
        )}
      />
      <Section
        id="breakers"
        title="Circuit breakers"
        result={data.breakers}
        render={(value) => (
          <BreakerTiles
            rows={itemsOf(value) ?? []}
            csrfToken={props.csrfToken}
            canOperate={props.canOperate}
          />
        )}
      />
      <Section id="cron-runs" title="Recent cron runs" result={data.cronRuns} render={renderList} />
      <Section
        id="inventory-drift"
        title="Inventory drift"
        result={data.inventoryDrift}
        render={renderList}
      />
      <Section
        id="price-books"
        title="Price-book versions"
        result={data.priceBooks}
        render={renderList}
      />
    </>
  );
}

function renderSlos(value: unknown) {
  const tiles = sloTiles(value);
  if (!tiles)
    return <p class="tile unavailable">Not available: the SLO report has an unknown shape.</p>;
  return (
    <div class="tiles">
      {tiles.map((tile) => (
        <div class={`tile ${statusClass(tile.status)}`} data-slo={tile.title}>
          <strong>{tile.title}</strong> <span>{tile.status}</span>
          <dl>
            {tile.facts.slice(0, 6).map(([key, fact]) => (
              <div>
                <dt class="muted">{key}</dt>
                <dd>{fact}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}

function renderCharts(value: unknown) {
  const charts = chartsOf(value);
  if (!charts) return <p class="tile unavailable">Not available: metrics have an unknown shape.</p>;
  if (charts.length === 0) return <p class="muted">No metrics recorded yet.</p>;
  return (
    <div class="charts">
      {charts.map((chart) => (
        <LineChart title={chart.title} unit={chart.unit} points={chart.points} />
      ))}
    </div>
  );
}

function renderList(value: unknown) {
  const rows = itemsOf(value);
  if (!rows) return <p class="tile unavailable">Not available: unknown answer shape.</p>;
  return <DataTable rows={rows.slice(0, 20)} />;
}

function BreakerTiles(props: {
  rows: Record<string, unknown>[];
  csrfToken: string;
  canOperate: boolean;
}) {
  if (props.rows.length === 0) return <p class="muted">No connector configured.</p>;
  return (
    <div class="tiles">
      {props.rows.map((row) => {
        const connector = String(row.connector ?? "?");
        const state = String(row.state ?? "unknown");
        return (
          <div class={`tile ${state === "closed" ? "ok" : state === "half_open" ? "warn" : "bad"}`}>
            <strong>{connector}</strong> {state}
            {props.canOperate && state !== "closed" ? (
              <form
                class="inline"
                method="post"
                action={`/admin/breakers/${encodeURIComponent(connector)}/reset`}
              >
                <input type="hidden" name="_csrf" value={props.csrfToken} />{" "}
                <button type="submit">Reset</button>
              </form>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

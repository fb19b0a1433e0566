import type { Child } from "hono/jsx";
import type { ApiResult } from "../api-client";

/**
 * A console section fed by one admin API call. Shows the content when the call worked,
 * and otherwise says plainly why not: the module is not part of this deployment, the
 * user may not see it, or the call failed.
 */
export function Section(props: {
  id: string;
  title: string;
  result: ApiResult;
  render: (data: unknown) => Child;
}) {
  return (
    <section id={props.id} data-state={props.result.kind}>
      <h2>{props.title}</h2>
      {body(props.result, props.render)}
    </section>
  );
}

function body(result: ApiResult, render: (data: unknown) => Child): Child {
  switch (result.kind) {
    case "ok":
      return render(result.data);
    case "absent":
      return <p class="tile unavailable">Not available: this hub has no such module yet.</p>;
    case "denied":
      return <p class="tile unavailable">Not available to you: {result.detail}</p>;
    case "failed":
      return (
        <p class="tile failed">
          Could not load ({result.status}): {result.detail}
        </p>
      );
  }
}

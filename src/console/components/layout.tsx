import type { Child } from "hono/jsx";
import type { AdminPrincipal } from "../../http/admin/principal";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#111;background:#f7f7f8}
header{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#111;color:#fff}
header a{color:#fff;text-decoration:none}header nav{display:flex;gap:1rem;flex:1}
main{padding:1rem;max-width:1200px}section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem}
h1{font-size:1.3rem}h2{font-size:1.05rem;margin:.2rem 0 .6rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
.tiles{display:flex;flex-wrap:wrap;gap:.6rem}.tile{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:12rem;background:#fff}
.ok{border-left:4px solid #16a34a}.warn{border-left:4px solid #d97706}.bad,.failed{border-left:4px solid #dc2626}.unavailable{border-left:4px solid #9ca3af;color:#555}
.muted{color:#666}.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}
.notice{background:#ecfdf5;border:1px solid #16a34a;padding:.5rem 1rem;border-radius:6px}
.error{background:#fef2f2;border:1px solid #dc2626;padding:.5rem 1rem;border-radius:6px}
form.inline{display:inline}button{cursor:pointer}input{padding:.25rem}
`;

/** The page frame: navigation, who is signed in, and the logout form. */
export function Layout(props: {
  title: string;
  nonce: string;
  principal?: AdminPrincipal;
  csrfToken?: string;
  children: Child;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Edge hub console</title>
        <style nonce={props.nonce}>{STYLE}</style>
      </head>
      <body>
        <header>
          <strong>Edge hub</strong>
          {props.principal ? (
            <nav>
              <a href="/admin">Overview</a>
              <a href="/admin/dead-letters">Dead letters</a>
              <a href="/admin/orders">Order lookup</a>
              <a href="/admin/audit">Audit log</a>
            </nav>
          ) : (
            <nav />
          )}
          {props.principal ? (
            <form class="inline" method="post" action="/admin/logout">
              <span>
                {props.principal.name} ({props.principal.scopes.join(", ")}){" "}
              </span>
              <input type="hidden" name="_csrf" value={props.csrfToken ?? ""} />
              {props.principal.via === "session" ? <button type="submit">Log out</button> : null}
            </form>
          ) : null}
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A one-line message after an action (from the `notice` query parameter). */
export function Notice(props: { text: string | undefined; kind?: "notice" | "error" }) {
  if (!props.text) return null;
  return (
    <p class={props.kind ?? "notice"} role="status">
      {props.text}
    </p>
  );
}

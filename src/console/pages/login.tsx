import { Layout } from "../components/layout";

/** The sign-in form: an admin token, exchanged for a session cookie. */
export function LoginPage(props: {
  nonce: string;
  error?: string;
  accessEnabled: boolean;
  loginEnabled: boolean;
}) {
  return (
    <Layout title="Sign in" nonce={props.nonce}>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.accessEnabled ? (
        <p class="muted">
          This console is behind Cloudflare Access: open it through your Access login and you are
          signed in already.
        </p>
      ) : null}
      {props.loginEnabled ? (
        <form method="post" action="/admin/login">
          <p>
            <label for="token">Admin token</label>
            <br />
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
              size={40}
            />
          </p>
          <button type="submit">Sign in</button>
        </form>
      ) : (
        <p class="error">Token login is off: CONSOLE_SESSION_SECRET is not set.</p>
      )}
    </Layout>
  );
}

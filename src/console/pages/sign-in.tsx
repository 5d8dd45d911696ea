import { Layout } from "../layout.js";

export function SignInPage({ error, next }: { error?: string; next: string }) {
  return (
    <Layout title="Sign in">
      <section class="card narrow">
        <h1>Sign in to the agent console</h1>
        <p class="muted">
          Use an API key with the read scope. The console keeps you signed in with a cookie until you sign out or it
          expires.
        </p>
        {error && (
          <p class="error" role="alert" id="sign-in-error">
            {error}
          </p>
        )}
        <form method="post" action="/console/sign-in" class="stack">
          <input type="hidden" name="next" value={next} />
          <label for="key">API key</label>
          <input
            id="key"
            name="key"
            type="password"
            autocomplete="off"
            required
            aria-describedby={error ? "sign-in-error" : undefined}
            autofocus
          />
          <button type="submit" class="primary">
            Sign in
          </button>
        </form>
      </section>
    </Layout>
  );
}

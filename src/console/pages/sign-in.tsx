import { Layout } from "../layout.js";

export interface SignInProps {
  next: string;
  error?: string;
  /** The username typed, kept after a failed attempt (never the password). */
  username?: string;
  /** Whether sign-in through the OpenID Provider is offered. */
  oidc: boolean;
}

export function SignInPage({ error, next, username, oidc }: SignInProps) {
  return (
    <Layout title="Sign in">
      <section class="card narrow">
        <h1>Sign in to the agent console</h1>
        {error && (
          <p class="error" role="alert" id="sign-in-error">
            {error}
          </p>
        )}
        {oidc && (
          <>
            <form method="get" action="/console/oidc/start" class="stack">
              <input type="hidden" name="next" value={next} />
              <button type="submit" class="primary" id="oidc-sign-in">
                Sign in with your organisation's account
              </button>
            </form>
            <p class="muted">Or with an Earshot username and password:</p>
          </>
        )}
        <form method="post" action="/console/sign-in" class="stack">
          <input type="hidden" name="next" value={next} />
          <label for="username">Username</label>
          <input
            id="username"
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            maxlength={64}
            required
            value={username}
            aria-describedby={error ? "sign-in-error" : undefined}
            autofocus={!oidc}
          />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            maxlength={256}
            required
          />
          <button type="submit" class={oidc ? undefined : "primary"}>
            Sign in
          </button>
        </form>
        <p class="muted">
          You stay signed in with a cookie until you sign out or it expires. Systems use API keys instead; an admin
          creates people and keys.
        </p>
      </section>
    </Layout>
  );
}

/** Shown after the provider sent the person back: its link (and refresh) continue on this site. */
export function SignedInPage({ next }: { next: string }) {
  return (
    <Layout title="Signed in">
      <meta http-equiv="refresh" content={`0;url=${next}`} />
      <section class="card narrow">
        <h1>Signed in</h1>
        <p>
          <a href={next} id="continue">
            Continue to the console
          </a>
        </p>
      </section>
    </Layout>
  );
}

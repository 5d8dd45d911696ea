import * as client from "openid-client";
import type { Config } from "../../config.js";
import { roles, type Role } from "./permissions.js";

/** What the browser carries between leaving for the provider and coming back (an http-only cookie). */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  /** The console page to return to. */
  next: string;
}

/** A person as the provider vouches for them. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** Their preferred username or e-mail address, if the provider sent one. */
  username: string | null;
  displayName: string;
  /** The role the claim mapping gives, or null when the mapping gives none. */
  mappedRole: Role | null;
}

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret?: string;
  redirectUrl: URL;
  scopes: string;
  roleClaim: string;
  roleMap: Map<string, Role>;
  defaultRole?: Role;
  /** Each request to the provider gives up after this many seconds. */
  timeoutSeconds?: number;
}

export function oidcSettings(config: Config): OidcSettings | undefined {
  if (!config.OIDC_ISSUER_URL || !config.OIDC_CLIENT_ID || !config.OIDC_REDIRECT_URL) return undefined;
  return {
    issuer: new URL(config.OIDC_ISSUER_URL),
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    redirectUrl: new URL(config.OIDC_REDIRECT_URL),
    scopes: config.OIDC_SCOPES,
    roleClaim: config.OIDC_ROLE_CLAIM,
    roleMap: config.OIDC_ROLE_MAP,
    defaultRole: config.OIDC_DEFAULT_ROLE,
  };
}

const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** The highest role any of the claim's values maps to. */
export function roleFromClaim(value: unknown, map: Map<string, Role>): Role | null {
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  let best = -1;
  for (const v of values) {
    const role = typeof v === "string" ? map.get(v) : undefined;
    if (role) best = Math.max(best, roles.indexOf(role));
  }
  return best < 0 ? null : roles[best];
}

/**
 * Sign-in through an OpenID Provider with the authorization code flow, PKCE (S256), state and nonce,
 * by `openid-client`, which checks the ID token (signature, issuer, audience, expiry, nonce). The
 * provider's metadata is discovered at the first sign-in and kept; a failed discovery is tried again
 * at the next. Plain HTTP is allowed only for a provider on this host (development and tests).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export class OidcSignIn {
  #config: Promise<client.Configuration> | undefined;

  constructor(readonly settings: OidcSettings) {}

  #configuration() {
    const s = this.settings;
    this.#config ??= client
      .discovery(
        s.issuer,
        s.clientId,
        s.clientSecret,
        s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None(),
        {
          execute:
            s.issuer.protocol === "http:" && LOOPBACK.has(s.issuer.hostname) ? [client.allowInsecureRequests] : [],
          timeout: s.timeoutSeconds ?? 10,
        },
      )
      .catch((e) => {
        this.#config = undefined;
        throw e;
      });
    return this.#config;
  }

  /** Where to send the browser, and what it must bring back. */
  async start(next: string): Promise<{ url: URL; pending: PendingLogin }> {
    const config = await this.#configuration();
    const pending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl.href,
      scope: this.settings.scopes,
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * Redeems the code the provider sent back (`query`: the callback's query string) for tokens, checked
   * against what the browser brought back, and answers who the person is. Throws on any mismatch.
   */
  async finish(query: URLSearchParams, pending: PendingLogin): Promise<OidcIdentity> {
    const config = await this.#configuration();
    // The redirect URL as registered, with the query as received: behind a proxy the request's own URL
    // names the internal host, and the provider compares the two.
    const current = new URL(this.settings.redirectUrl);
    current.search = query.toString();
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error("The provider sent no ID token.");
    let roleValue: unknown = claims[this.settings.roleClaim];
    let profile: Record<string, unknown> = claims;
    // Providers that keep groups and profile claims out of the ID token serve them at userinfo.
    if (roleValue === undefined || claims.name === undefined) {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      profile = { ...info, ...claims };
      roleValue ??= info[this.settings.roleClaim];
    }
    const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
    const username = str(profile.preferred_username) ?? str(profile.email);
    return {
      issuer: claims.iss,
      subject: claims.sub,
      username,
      displayName: (str(profile.name) ?? username ?? claims.sub).slice(0, 100),
      mappedRole: roleFromClaim(roleValue, this.settings.roleMap),
    };
  }
}

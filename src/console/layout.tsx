import type { Child } from "hono/jsx";
import { raw } from "hono/html";

export interface LayoutProps {
  title: string;
  /** Which nav entry is current. */
  section?: "search" | "queue" | "moments" | "dashboard" | "quality" | "agents";
  /** The signed-in person's name; absent on the sign-in page. */
  user?: string;
  /** Their role, shown beside their name. */
  role?: string;
  /** Whether they may see the quality and agents pages (supervisors and admins): their links are shown only then. */
  canReview?: boolean;
  /** Whether they may export CSV files (supervisors and admins): the pages' export links are shown only then. */
  canExport?: boolean;
  /** Open moments right now, shown as the live count in the header. */
  openMoments?: number;
  /** Extra scripts (served from /console/assets). */
  scripts?: string[];
  /** Marks the page's customer so live events about them can say so. */
  customerId?: string;
  children?: Child;
}

const nav = [
  { id: "search", href: "/console", label: "Search" },
  { id: "queue", href: "/console/queue", label: "Queue" },
  { id: "moments", href: "/console/moments", label: "Moments" },
  { id: "dashboard", href: "/console/dashboard", label: "Dashboard" },
  { id: "quality", href: "/console/quality", label: "Quality", needsReview: true },
  { id: "agents", href: "/console/agents", label: "Agents", needsReview: true },
] as const;

/** The page shell: header with navigation and the live moment count, a main landmark, scripts last. */
export function Layout(p: LayoutProps) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${p.title} · Earshot`}</title>
          <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/console/assets/console.css" />
        </head>
        <body data-customer-id={p.customerId}>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <a class="brand" href="/console">
              Earshot
            </a>
            {p.user && (
              <>
                <nav aria-label="Console">
                  <ul>
                    {nav
                      .filter((n) => !("needsReview" in n) || p.canReview)
                      .map((n) => (
                        <li>
                          <a href={n.href} aria-current={p.section === n.id ? "page" : undefined}>
                            {n.label}
                          </a>
                        </li>
                      ))}
                  </ul>
                </nav>
                <a class="live-badge" href="/console/moments" id="live-badge" aria-live="polite">
                  <span class="dot" aria-hidden="true"></span> <span id="live-count">{p.openMoments ?? 0}</span> open
                  moments
                </a>
                <form method="post" action="/console/sign-out" class="sign-out">
                  <span class="user">
                    {p.user}
                    {p.role && <span class="role"> ({p.role})</span>}
                  </span>
                  <button type="submit">Sign out</button>
                </form>
              </>
            )}
          </header>
          {p.user && (
            <section id="live" class="live" aria-label="New moments" hidden>
              <h2>New complaint-risk moments</h2>
              <ul id="live-list" aria-live="polite"></ul>
            </section>
          )}
          <main id="main" tabindex={-1}>
            {p.children}
          </main>
          {p.user && <script src="/console/assets/console.js" defer></script>}
          {(p.scripts ?? []).map((s) => (
            <script src={`/console/assets/${s}`} defer></script>
          ))}
        </body>
      </html>
    </>
  );
}

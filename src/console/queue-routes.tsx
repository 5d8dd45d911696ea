import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { DomainError } from "../lib/domain-error.js";
import { personOf } from "../routes/person.js";
import type { Person } from "../services/person.js";
import { transitionMoment } from "../services/moments/lifecycle.js";
import { queuePage, queueViews, type QueueView } from "../services/moments/queue-view.js";
import { assignMoment, claimMoment } from "../services/moments/work.js";
import { listTeams } from "../services/teams.js";
import { backWithNotice, CHANNELS, shell } from "./page-context.js";
import { QueuePage } from "./pages/queue.js";
import { permit, safeBack } from "./session.js";

/** The work queue: its views (mine, my team's, unassigned) and claiming, acknowledging and assigning from it. */
export const queueRoutes = new Hono<AppEnv>()
  .get("/queue", permit("view"), async (c) => {
    const { db, ackTargets, clock } = c.var.deps;
    const viewParam = c.req.query("view");
    const view = (queueViews as readonly string[]).includes(viewParam ?? "") ? (viewParam as QueueView) : "unassigned";
    const channel = CHANNELS.has(c.req.query("channel") ?? "") ? String(c.req.query("channel")) : "";
    const reason = /^[a-z0-9_.-]{1,50}$/.test(c.req.query("reason") ?? "") ? String(c.req.query("reason")) : "";
    const me = personOf(c);
    const cursor = c.req.query("cursor");
    let page: Awaited<ReturnType<typeof queuePage>>;
    try {
      page = await queuePage(
        db,
        {
          view,
          channel: channel ? [channel] : undefined,
          reason: reason ? [reason] : undefined,
          cursor: cursor && cursor.length <= 500 ? cursor : undefined,
          limit: 50,
        },
        me,
        ackTargets,
        clock(),
      );
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return c.redirect(`/console/queue?view=${view}`, 303);
    }
    // Supervisors assign; the people to choose from are the teams' members and themselves.
    const supervisor = c.var.principal.permissions.has("assign");
    const teams = supervisor ? (await listTeams(db)).items : [];
    const people = new Map<string, Person>([[me.id, me]]);
    for (const t of teams) for (const m of t.members) people.set(m.id, m);
    const url = new URL(c.req.url);
    return c.html(
      <QueuePage
        shell={{ ...(await shell(c)) }}
        view={view}
        channel={channel}
        reason={reason}
        page={page}
        me={me}
        people={supervisor ? [...people.values()] : undefined}
        teams={teams.map((t) => t.name)}
        here={url.pathname + url.search}
        notice={c.req.query("notice")?.slice(0, 200)}
      />,
    );
  })
  .post("/queue/:id/:action{claim|ack|assign}", permit("act"), async (c) => {
    const form = await c.req.parseBody();
    const back = safeBack(form.back);
    const { deps } = c.var;
    const id = c.req.param("id");
    const me = personOf(c);
    let notice: string;
    try {
      const action = c.req.param("action");
      if (action === "claim") {
        await claimMoment(deps.db, id, me, deps.clock());
        notice = "Claimed: it is in your queue.";
      } else if (action === "ack") {
        await transitionMoment(deps.db, id, "acknowledged", me, deps.clock());
        notice = "Moment acknowledged.";
      } else {
        // The form is shown to supervisors only; a reader's post is told so, like any refused action.
        if (!c.var.principal.permissions.has("assign"))
          return backWithNotice(c, back, "Assigning moments needs a supervisor.");
        const personId = typeof form.person === "string" ? form.person : "";
        const team = typeof form.team === "string" && /^[a-z0-9][a-z0-9_-]{0,49}$/.test(form.team) ? form.team : null;
        const known = new Map<string, Person>([[me.id, me]]);
        for (const t of (await listTeams(deps.db)).items) for (const m of t.members) known.set(m.id, m);
        const person = personId ? known.get(personId) : null;
        if (person === undefined) notice = "Pick a person from the list.";
        else {
          const m = await assignMoment(deps.db, id, { person, team }, me, deps.clock());
          notice = m.assignee
            ? `Assigned to ${m.assignee.name}.`
            : m.team
              ? `Assigned to team ${m.team}.`
              : "Unassigned.";
        }
      }
      deps.deliveries?.nudge();
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      notice = e.message;
    }
    return backWithNotice(c, back, notice);
  });

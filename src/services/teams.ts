import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { teamMembers } from "../db/schema/index.js";
import { notFound } from "../lib/domain-error.js";
import type { Person } from "./person.js";

/** Every team with its members, by name (a deployment has a handful). */
export async function listTeams(db: Db) {
  const rows = await db.select().from(teamMembers).orderBy(asc(teamMembers.team), asc(teamMembers.personName));
  const teams = new Map<string, Person[]>();
  for (const r of rows) {
    const members = teams.get(r.team) ?? [];
    members.push({ id: r.personId, name: r.personName });
    teams.set(r.team, members);
  }
  return { items: [...teams].map(([name, members]) => ({ name, members })) };
}

/** The teams a person belongs to. */
export async function teamsOf(db: Db, personId: string): Promise<string[]> {
  const rows = await db
    .select({ team: teamMembers.team })
    .from(teamMembers)
    .where(eq(teamMembers.personId, personId))
    .orderBy(teamMembers.team);
  return rows.map((r) => r.team);
}

/** Adds a person to a team (or renames them there); a team exists while it has members. */
export async function addTeamMember(db: Db, team: string, person: Person, at: Date) {
  await db.write(({ orm }) =>
    orm
      .insert(teamMembers)
      .values({ team, personId: person.id, personName: person.name, createdAt: at })
      .onConflictDoUpdate({ target: [teamMembers.team, teamMembers.personId], set: { personName: person.name } }),
  );
  return { team, person };
}

export async function removeTeamMember(db: Db, team: string, personId: string) {
  const r = await db.write(({ orm }) =>
    orm.delete(teamMembers).where(and(eq(teamMembers.team, team), eq(teamMembers.personId, personId))),
  );
  if (r.rowsAffected === 0) throw notFound(`${personId} is not in team ${team}.`);
}

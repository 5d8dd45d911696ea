import { z } from "zod";
import { auditActions, roles } from "../db/schema/index.js";
import { permissions } from "../services/people/permissions.js";
import { trimmed } from "./common.js";

// What the people, audit and /v1/me endpoints take and answer.

const instant = z.iso.datetime();
const role = z.enum(roles, "must be agent, supervisor or admin").meta({
  description:
    "`agent`: view and act on moments. `supervisor`: also assign, see quality and the agents page. `admin`: also people, webhooks and rules.",
});

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@+-]{0,63}$/, "must be 1–64 letters, digits or . _ @ + - (starting with a letter or digit)")
  .meta({ description: "What the person types to sign in; kept in lower case.", example: "alice" });

const displayName = trimmed(100).meta({ description: "The name shown in the console and on what they do." });

/** Bounded so hashing stays bounded work; strength is judged by the service (zxcvbn). */
export const password = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(256, "must be at most 256 characters")
  .meta({ description: "At least 12 characters and hard to guess; stored only as an argon2id hash.", writeOnly: true });

export const userInputSchema = z
  .object({
    username,
    displayName,
    role,
    password: password.optional().meta({
      description: "Absent for someone who signs in only through the OpenID Provider.",
    }),
  })
  .strict()
  .meta({ id: "UserInput" });
export type UserInput = z.infer<typeof userInputSchema>;

export const userPatchSchema = z
  .object({
    displayName: displayName.optional(),
    role: role.optional(),
    password: password.optional(),
    disabled: z
      .boolean()
      .optional()
      .meta({ description: "True signs the person out everywhere and refuses their sign-ins." }),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "must change at least one of displayName, role, password, disabled")
  .meta({ id: "UserPatch" });
export type UserPatch = z.infer<typeof userPatchSchema>;

export const userSchema = z
  .object({
    id: z.string().meta({ example: "usr_01jq7c5d0m2n3p4q5r6s7t8v9w" }),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(roles),
    signIn: z
      .array(z.enum(["password", "oidc"]))
      .meta({ description: "How the person can sign in: a password, the OpenID Provider, or both." }),
    createdAt: instant,
    updatedAt: instant,
    lastSignInAt: instant.nullable(),
    disabledAt: instant.nullable(),
  })
  .meta({ id: "User" });

export const userList = z.object({ items: z.array(userSchema) }).meta({ id: "UserList" });

export const meSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("person"),
      id: z.string(),
      name: z.string(),
      role: z.enum(roles),
      permissions: z.array(z.enum(permissions)),
    }),
    z.object({
      kind: z.literal("key"),
      id: z.string(),
      name: z.string(),
      scopes: z.array(z.string()),
      permissions: z.array(z.enum(permissions)),
    }),
  ])
  .meta({ id: "Me", description: "Who the request acts for, and what they may do." });

export const auditEntrySchema = z
  .object({
    id: z.string(),
    action: z.enum(auditActions),
    by: z.object({
      id: z.string().meta({ description: "`user:<id>`, `key:<id>`, `cli`, or `anonymous` for a failed sign-in." }),
      name: z.string(),
    }),
    subjectId: z.string().nullable().meta({ description: "The person acted on." }),
    details: z.record(z.string(), z.unknown()),
    at: instant,
  })
  .meta({ id: "AuditEntry" });

export const auditPage = z
  .object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: "AuditPage" });

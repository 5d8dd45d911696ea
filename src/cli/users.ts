import type { Db } from "../db/client.js";
import {
  password as passwordSchema,
  userInputSchema,
  userPatchSchema,
  username as usernameSchema,
} from "../contracts/people.js";
import { DomainError } from "../lib/domain-error.js";
import type { PasswordHasher } from "../services/people/passwords.js";
import { roles } from "../services/people/permissions.js";
import { CLI_ACTOR } from "../services/people/principal.js";
import { createUser, listUsers, updateUser, userByUsername } from "../services/people/users.js";
import { UsageError } from "./keys.js";

const USAGE = `usage: users create <username> --role agent|supervisor|admin [--name "Full Name"] [--password-stdin]
       users list
       users role <username> agent|supervisor|admin
       users password <username>          (the new password on stdin)
       users disable <username> | users enable <username>`;

/** The first line of stdin, without its line ending: a password is never an argument (ps, shell history). */
export async function readSecretLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stdin) {
    text += chunk.toString();
    if (text.includes("\n") || text.length > 1024) break;
  }
  return text.split(/\r?\n/)[0];
}

/** A service's refusal as the command line says it: its message and each field's. */
function usageFrom(e: unknown): never {
  if (e instanceof DomainError)
    throw new UsageError([e.message, ...e.fields.map((f) => `  ${f.field}: ${f.message}`)].join("\n"));
  throw e;
}

function parsed<T>(
  result:
    | { success: true; data: T }
    | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } },
): T {
  if (result.success) return result.data;
  throw new UsageError(result.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
}

async function byUsername(db: Db, raw: string | undefined) {
  if (!raw) throw new UsageError(USAGE);
  const user = await userByUsername(db, parsed(usernameSchema.safeParse(raw)));
  if (!user) throw new UsageError(`no person with the username ${raw}`);
  return user;
}

/** `users create|list|role|password|disable|enable`: every change audited as the command line's. */
export async function usersCommand(
  db: Db,
  hasher: PasswordHasher,
  args: string[],
  flags: { role?: string; name?: string; "password-stdin"?: boolean },
  io: { print: (s: string) => void; stdin: NodeJS.ReadableStream; now?: () => Date },
) {
  const now = io.now ?? (() => new Date());
  const [action, who, value] = args;
  try {
    switch (action) {
      case "create": {
        const password = flags["password-stdin"] ? await readSecretLine(io.stdin) : undefined;
        const input = parsed(
          userInputSchema.safeParse({ username: who, displayName: flags.name ?? who, role: flags.role, password }),
        );
        const user = await createUser(db, hasher, input, CLI_ACTOR, now());
        io.print(`created ${user.id} ${user.username} (${user.role})`);
        return;
      }
      case "list":
        for (const u of await listUsers(db))
          io.print(
            `${u.id}\t${u.username}\t${u.role}\t${u.signIn.join("+") || "-"}\t${u.disabledAt ? "disabled" : "active"}\t${u.displayName}`,
          );
        return;
      case "role": {
        const user = await byUsername(db, who);
        if (!(roles as readonly string[]).includes(value ?? "")) throw new UsageError(USAGE);
        const patch = parsed(userPatchSchema.safeParse({ role: value }));
        io.print(`${user.username} is now ${(await updateUser(db, hasher, user.id, patch, CLI_ACTOR, now())).role}`);
        return;
      }
      case "password": {
        const user = await byUsername(db, who);
        const password = parsed(passwordSchema.safeParse(await readSecretLine(io.stdin)));
        await updateUser(db, hasher, user.id, { password }, CLI_ACTOR, now());
        io.print(`password set for ${user.username}`);
        return;
      }
      case "disable":
      case "enable": {
        const user = await byUsername(db, who);
        await updateUser(db, hasher, user.id, { disabled: action === "disable" }, CLI_ACTOR, now());
        io.print(`${user.username} ${action}d`);
        return;
      }
      default:
        throw new UsageError(USAGE);
    }
  } catch (e) {
    usageFrom(e);
  }
}

import { grantersOf, permissionDescriptions, type Permission } from "../../services/people/permissions.js";
import { Layout, type LayoutProps } from "../layout.js";

/**
 * The answer to a page the signed-in person may not see: which permission it needs and which roles
 * (and key scopes) grant it, who is signed in and with what, and a way back.
 */
export function DeniedPage(p: {
  shell: Omit<LayoutProps, "children" | "title">;
  permission: Permission;
  /** What the signed-in principal holds, in words ("a supervisor", "a key with read"). */
  held: string;
}) {
  const { roles, scopes } = grantersOf([p.permission]);
  return (
    <Layout {...p.shell} title="Not allowed">
      <h1>Not allowed</h1>
      <p class="notice" role="alert" id="denied">
        This page needs the <strong>{p.permission}</strong> permission ({permissionDescriptions[p.permission]}).
      </p>
      <p id="denied-who">
        You are signed in as <strong>{p.shell.user}</strong>, {p.held}.
      </p>
      <p id="denied-grants">
        The {roles.join(" and ")} role{roles.length === 1 ? "" : "s"} grant it
        {scopes.length > 0 && <>, as does an API key with the {scopes.join(", ")} scope</>}; an administrator can change
        your role.
      </p>
      <p>
        <a href="/console">Back to search</a>
      </p>
    </Layout>
  );
}

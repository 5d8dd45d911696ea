import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { customers } from "../../db/schema/index.js";
import { notFound } from "../../lib/domain-error.js";

/** Whether a customer exists and where it lives now: `mergedInto` names the survivor of a merge. */
export async function findCustomer(db: Db, customerId: string): Promise<{ mergedInto: string | null }> {
  const [row] = await db
    .select({ mergedInto: customers.mergedInto })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!row) throw notFound(`No customer ${customerId}.`);
  return row;
}

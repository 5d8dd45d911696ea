import { actorOf } from "../../services/people/principal.js";
import { reanalysisInputSchema } from "../../contracts/jobs.js";
import { createReanalysisJob, getJob as readJob } from "../../services/reanalysis/job.js";
import { createRouter } from "../openapi.js";
import { getJob, startReanalysis } from "./routes.js";

export const jobRoutes = createRouter()
  .openapi(startReanalysis, async (c) => {
    const { db, clock, jobs } = c.var.deps;
    const q = c.req.valid("json") ?? reanalysisInputSchema.parse({});
    const job = await createReanalysisJob(
      db,
      { from: q.from, to: q.to, channels: q.channel, dryRun: q.dryRun },
      actorOf(c.var.principal).ref,
      clock(),
    );
    jobs.enqueue(job.id);
    c.header("location", `/v1/jobs/${job.id}`);
    return c.json(job, 202);
  })
  .openapi(getJob, async (c) => c.json(await readJob(c.var.deps.db, c.req.valid("param").id), 200));

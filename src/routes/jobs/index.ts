import { actorOf } from "../../services/people/principal.js";
import { reanalysisInputSchema } from "../../contracts/jobs.js";
import { createReanalysisJob, newDryRun, getJob as readJob, jobView } from "../../services/reanalysis/job.js";
import { createRouter } from "../openapi.js";
import { getJob, startReanalysis } from "./routes.js";

export const jobRoutes = createRouter()
  .openapi(startReanalysis, async (c) => {
    const { db, clock, jobs } = c.var.deps;
    const q = c.req.valid("json") ?? reanalysisInputSchema.parse({});
    const params = { from: q.from, to: q.to, channels: q.channel };
    const actor = actorOf(c.var.principal).ref;
    let job: ReturnType<typeof jobView>;
    if (q.dryRun) {
      const state = await newDryRun(db, params, actor, clock());
      job = jobView(state);
      jobs.enqueue(state);
    } else {
      job = await createReanalysisJob(db, { ...params, dryRun: false }, actor, clock());
      jobs.enqueue(job.id);
    }
    c.header("location", `/v1/jobs/${job.id}`);
    return c.json(job, 202);
  })
  .openapi(getJob, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(c.var.deps.jobs.dryRun(id) ?? (await readJob(c.var.deps.db, id)), 200);
  });

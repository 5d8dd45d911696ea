import { actorOf } from "../../services/people/principal.js";
import { activateCalibration, rollbackCalibration } from "../../services/calibration/activate.js";
import { proposeCalibration } from "../../services/calibration/fit.js";
import { getCalibration, listCalibrations } from "../../services/calibration/views.js";
import { proposeInputSchema } from "../../contracts/calibrations.js";
import { createRouter } from "../openapi.js";
import { activate, getOne, list, propose, rollback } from "./routes.js";

export const calibrationRoutes = createRouter()
  .openapi(propose, async (c) => {
    const { db, calibration, clock } = c.var.deps;
    const input = c.req.valid("json") ?? proposeInputSchema.parse({});
    return c.json(await proposeCalibration(db, calibration, input, actorOf(c.var.principal).ref, clock()), 201);
  })
  .openapi(list, async (c) => c.json(await listCalibrations(c.var.deps.db, c.req.valid("query").limit), 200))
  .openapi(rollback, async (c) => {
    const { db, calibration, clock } = c.var.deps;
    return c.json(await rollbackCalibration(db, calibration, actorOf(c.var.principal).ref, clock()), 200);
  })
  .openapi(getOne, async (c) => c.json(await getCalibration(c.var.deps.db, c.req.valid("param").id), 200))
  .openapi(activate, async (c) => {
    const { db, calibration, clock } = c.var.deps;
    return c.json(
      await activateCalibration(db, calibration, c.req.valid("param").id, actorOf(c.var.principal).ref, clock()),
      200,
    );
  });

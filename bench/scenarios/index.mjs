import { inventory } from "./inventory.mjs";
import { orderExport } from "./order-export.mjs";
import { pricing } from "./pricing.mjs";
import { webhookIngest } from "./webhook-ingest.mjs";

/**
 * Every scenario `npm run bench` knows, in the order it runs them. A scenario is an object
 * with `name`, `title` and `run(options)` resolving to a result the report can print (see
 * webhook-ingest.mjs); add new capabilities' scenarios here.
 */
export const SCENARIOS = [webhookIngest, orderExport, inventory, pricing];

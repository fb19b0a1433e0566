import { Hono } from "hono";
import type { HubEnv } from "../context";
import { inventoryBatches } from "./batches";
import { inventoryConfirmations } from "./confirmations";
import { inventoryReads } from "./reads";

/**
 * `/v1/inventory`: OMS/WMS writes (signed with OMS_SIGNING_SECRET) and stock reads
 * (admin bearer tokens). docs/api.md documents each route.
 */
export const inventoryApi = new Hono<HubEnv>();

inventoryApi.route("/", inventoryBatches);
inventoryApi.route("/", inventoryConfirmations);
inventoryApi.route("/", inventoryReads);

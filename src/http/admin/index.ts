import { Hono } from "hono";
import type { AdminEnv } from "./auth";
import { breakerRoutes } from "./breakers";
import { complianceRoutes } from "./compliance";
import { deadLetterRoutes } from "./dead-letters";
import { orderAdminRoutes } from "./orders";
import { webhookAdminRoutes } from "./webhooks";

/** The operator API under `/admin/api`. Every route requires a scoped bearer token. */
export const adminApi = new Hono<AdminEnv>();

adminApi.route("/dead-letters", deadLetterRoutes);
adminApi.route("/compliance", complianceRoutes);
adminApi.route("/webhooks", webhookAdminRoutes);
adminApi.route("/breakers", breakerRoutes);
adminApi.route("/orders", orderAdminRoutes);

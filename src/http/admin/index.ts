import { Hono } from "hono";
import { alertRoutes } from "./alerts";
import { auditAdminRoutes } from "./audit";
import { auditOperatorActions } from "./audit-actions";
import type { AdminEnv } from "./auth";
import { breakerRoutes } from "./breakers";
import { complianceRoutes } from "./compliance";
import { deadLetterRoutes } from "./dead-letters";
import { inventoryAdminRoutes } from "./inventory";
import { metricRoutes } from "./metrics";
import { orderAdminRoutes } from "./orders";
import { priceListRoutes } from "./price-lists";
import { priceVersionRoutes } from "./price-versions";
import {
  cronRunRoutes,
  orderReconciliationRoutes,
  payoutReconciliationRoutes,
} from "./reconciliation";
import { shopRoutes } from "./shops";
import { sloRoutes } from "./slo";
import { webhookAdminRoutes } from "./webhooks";

/**
 * The operator API under `/admin/api`. Every route requires a scoped bearer token (or a
 * console session, src/console); every successful state change is audited.
 */
export const adminApi = new Hono<AdminEnv>();

// Before every route: each state-changing call that succeeds leaves an audit entry.
adminApi.use(auditOperatorActions);

adminApi.route("/audit", auditAdminRoutes);
adminApi.route("/dead-letters", deadLetterRoutes);
adminApi.route("/compliance", complianceRoutes);
adminApi.route("/webhooks", webhookAdminRoutes);
adminApi.route("/breakers", breakerRoutes);
adminApi.route("/shops", shopRoutes);
adminApi.route("/orders/reconcile", orderReconciliationRoutes);
adminApi.route("/orders", orderAdminRoutes);
adminApi.route("/cron-runs", cronRunRoutes);
adminApi.route("/reconciliation/payouts", payoutReconciliationRoutes);
adminApi.route("/metrics", metricRoutes);
adminApi.route("/slo", sloRoutes);
adminApi.route("/alerts", alertRoutes);
adminApi.route("/price-lists", priceListRoutes);
adminApi.route("/prices/versions", priceVersionRoutes);
adminApi.route("/inventory", inventoryAdminRoutes);

import type { Settings } from "../config/settings";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Per kind of record, the instant (epoch ms) before which it is purged. */
export interface RetentionCutoffs {
  orderEvents: number;
  deadLetters: number;
  /** Webhook receipts and the R2 payloads stored with them. */
  receipts: number;
  complianceExports: number;
  orderLedger: number;
  cronRuns: number;
  metrics: number;
}

export type RetentionSettings = Pick<
  Settings,
  | "ORDER_EVENT_RETENTION_DAYS"
  | "DEAD_LETTER_RETENTION_DAYS"
  | "RECEIPT_RETENTION_DAYS"
  | "COMPLIANCE_EXPORT_RETENTION_DAYS"
  | "LEDGER_RETENTION_DAYS"
  | "CRON_RUN_RETENTION_DAYS"
  | "METRICS_RETENTION_DAYS"
>;

/** The cutoffs the retention settings give at `now`. */
export function retentionCutoffs(settings: RetentionSettings, now: number): RetentionCutoffs {
  const before = (days: number) => now - days * DAY_MS;
  return {
    orderEvents: before(settings.ORDER_EVENT_RETENTION_DAYS),
    deadLetters: before(settings.DEAD_LETTER_RETENTION_DAYS),
    receipts: before(settings.RECEIPT_RETENTION_DAYS),
    complianceExports: before(settings.COMPLIANCE_EXPORT_RETENTION_DAYS),
    orderLedger: before(settings.LEDGER_RETENTION_DAYS),
    cronRuns: before(settings.CRON_RUN_RETENTION_DAYS),
    metrics: before(settings.METRICS_RETENTION_DAYS),
  };
}

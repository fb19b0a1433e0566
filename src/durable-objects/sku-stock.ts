import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { loadSettings } from "../config/settings";
import { availableToSell, totalsOf } from "../domain/stock";
import { applyUpdate } from "../inventory/apply-update";
import {
  AdjustInputSchema,
  type PushPlan,
  type ReservationView,
  ReserveInputSchema,
  SettleInputSchema,
  type StockCheckView,
  type StockKey,
  StockKeySchema,
  type StockUpdate,
  StockUpdateSchema,
  type StockView,
  type UpdateOutcome,
} from "../inventory/operations";
import { InventoryPushMessageSchema } from "../inventory/push/message";
import { adjust, expireDue, fillBackorders, reserve, settle } from "../inventory/reservations";
import { StockStore } from "../inventory/stock-store";
import { createLogger, describeError } from "../observability/logger";
import { parseTraceparent } from "../observability/trace";

/** How long the operation log keeps entries; the log is for dedupe and audit, not history. */
const OPERATION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
// The alarm retries a failed push after this long (Cloudflare also retries a throwing alarm).
const PUSH_RETRY_MS = 5_000;

const ConfirmedSchema = z.array(
  z.object({ locationId: z.string().min(1), quantity: z.number().int().min(0) }),
);

/**
 * Stock for one shop and SKU (`STOCK.getByName("{shop}:{sku}")`): on-hand, reserved and
 * safety stock per location, reservations per order line and an operation log, in the
 * object's SQLite storage. Every state change runs in one `transactionSync` with no await
 * inside, so concurrent callers cannot interleave a read and its write: ATS never goes
 * below zero and two orders never get the same unit.
 *
 * The one alarm does two jobs: it expires unpaid reservations, and, a debounce after the
 * first change, it puts one push message for the SKU on INVENTORY_PUSH_QUEUE. Alarms can
 * fire late or twice; both jobs look at the stored state, so a repeat does nothing.
 */
export class SkuStock extends DurableObject<Cloudflare.Env> {
  private readonly store: StockStore;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.store = new StockStore(ctx.storage.sql);
  }

  /**
   * Applies OMS/WMS lines for this SKU in order; one outcome per line.
   *
   * Every change takes the caller's W3C `traceparent`: it is logged (at debug) with the
   * change, and the change that opens a push's debounce window hands it on to the push
   * message, so one customer action can be followed from its webhook to Shopify.
   */
  async applyUpdates(
    key: StockKey,
    updates: StockUpdate[],
    traceparent?: string,
  ): Promise<UpdateOutcome[]> {
    const parsedKey = parse(StockKeySchema, key);
    const parsed = parse(z.array(StockUpdateSchema), updates);

    const outcomes = this.mutate(parsedKey, traceparent, "stock updates applied", (now) => {
      const results = parsed.map((update) => applyUpdate(this.store, update, now));
      if (results.some((result) => result.status === "accepted")) {
        fillBackorders(this.store, now);
      }
      return results;
    });
    await this.scheduleAlarm();
    return outcomes;
  }

  /** Holds stock for an order line (idempotent by order and line id). */
  async reserve(
    key: StockKey,
    input: z.input<typeof ReserveInputSchema>,
    traceparent?: string,
  ): Promise<ReservationView> {
    const parsedKey = parse(StockKeySchema, key);
    const parsed = parse(ReserveInputSchema, input);
    const view = this.mutate(parsedKey, traceparent, "stock reserved", (now) =>
      reserve(this.store, parsed, now),
    );
    await this.scheduleAlarm();
    return view;
  }

  /** Releases or commits an order line's reservation (idempotent). */
  async settle(
    key: StockKey,
    input: z.input<typeof SettleInputSchema>,
    traceparent?: string,
  ): Promise<ReservationView> {
    const parsedKey = parse(StockKeySchema, key);
    const parsed = parse(SettleInputSchema, input);
    const view = this.mutate(
      parsedKey,
      traceparent,
      `reservation settled (${parsed.action})`,
      (now) => {
        const result = settle(this.store, parsed, now);
        if (parsed.action === "release") fillBackorders(this.store, now);
        return result;
      },
    );
    await this.scheduleAlarm();
    return view;
  }

  /** Sets a reservation to the quantity the OMS confirmed (idempotent by confirmation id). */
  async adjust(
    key: StockKey,
    input: z.input<typeof AdjustInputSchema>,
    traceparent?: string,
  ): Promise<ReservationView> {
    const parsedKey = parse(StockKeySchema, key);
    const parsed = parse(AdjustInputSchema, input);
    const view = this.mutate(parsedKey, traceparent, "reservation adjusted", (now) => {
      const result = adjust(this.store, parsed, now);
      fillBackorders(this.store, now);
      return result;
    });
    await this.scheduleAlarm();
    return view;
  }

  /** The SKU per location and in total. Reads only; an unknown SKU has no locations. */
  view(key: StockKey): StockView {
    const parsedKey = parse(StockKeySchema, key);
    const levels = this.store.levels();
    const open = this.store.openReservationStats();
    return {
      shop: parsedKey.shop,
      sku: parsedKey.sku,
      locations: levels.map((level) => ({
        locationId: level.locationId,
        onHand: level.onHand,
        reserved: level.reserved,
        safetyStock: level.safetyStock,
        available: availableToSell(level),
        shopifyAvailable: level.shopifyAvailable,
        updatedAt: new Date(level.updatedAt).toISOString(),
      })),
      totals: totalsOf(levels),
      backordered: open.backordered,
      openReservations: open.count,
    };
  }

  /**
   * Whether a reservation still waits for stock: its status and backordered units, or null
   * when this object holds no reservation with that id. The alerts cron asks it to resolve
   * backorder tickets once the stock has come.
   */
  reservationState(reservationId: string): { status: string; backordered: number } | null {
    const row = this.store.reservation(parse(z.string().min(1), reservationId));
    return row ? { status: row.status, backordered: row.backordered } : null;
  }

  /** Each location whose ATS differs from what Shopify last confirmed. */
  pushPlan(): PushPlan | null {
    const meta = this.store.meta();
    if (!meta) return null;
    const quantities = this.store
      .levels()
      .map((level) => ({
        locationId: level.locationId,
        available: availableToSell(level),
        lastConfirmed: level.shopifyAvailable,
      }))
      .filter((quantity) => quantity.available !== quantity.lastConfirmed);
    return { shop: meta.shop, sku: meta.sku, quantities };
  }

  /** Records what Shopify now shows, the `changeFromQuantity` of the next push. */
  confirmPushed(confirmed: { locationId: string; quantity: number }[]): void {
    const parsed = parse(ConfirmedSchema, confirmed);
    this.ctx.storage.transactionSync(() => {
      for (const { locationId, quantity } of parsed) {
        const level = this.store.level(locationId);
        if (level) this.store.saveLevel({ ...level, shopifyAvailable: quantity });
      }
    });
  }

  /** ATS, Shopify's last confirmed value and the OMS's last snapshot per location. */
  checkView(): StockCheckView | null {
    const meta = this.store.meta();
    if (!meta) return null;
    const locations = this.store.levels().map((level) => ({
      locationId: level.locationId,
      available: availableToSell(level),
      shopifyAvailable: level.shopifyAvailable,
      omsSnapshot:
        level.snapshotPosition === null
          ? null
          : this.store.snapshotOnHand(level.locationId, level.snapshotPosition),
    }));
    return { shop: meta.shop, sku: meta.sku, locations };
  }

  /**
   * Forgets what Shopify last confirmed, so the next push plan holds every location and
   * sets Shopify outright (`changeFromQuantity: null`): the on-demand resync.
   */
  forgetConfirmed(): void {
    this.ctx.storage.transactionSync(() => this.store.clearShopifyAvailable());
  }

  /** Expires due reservations, then sends the debounced push when it is due. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const meta = this.store.meta();
    if (!meta) return;

    const pushNow = this.ctx.storage.transactionSync(() => {
      this.store.setAlarmAt(null);
      if (expireDue(this.store, now) > 0) {
        fillBackorders(this.store, now);
        this.markChanged(now);
      }
      this.store.pruneOperations(now - OPERATION_RETENTION_MS);
      const due = this.store.meta()?.push_due_at ?? null;
      if (due === null || due > now) return undefined;
      this.store.setPushDueAt(null);
      const traceparent = this.store.pushTrace();
      this.store.setPushTrace(null);
      return { traceparent };
    });

    if (pushNow) await this.sendPush(meta.shop, meta.sku, now, pushNow.traceparent);
    await this.scheduleAlarm();
  }

  private async sendPush(
    shop: string,
    sku: string,
    now: number,
    traceparent: string | undefined,
  ): Promise<void> {
    try {
      await this.env.INVENTORY_PUSH_QUEUE.send(
        InventoryPushMessageSchema.parse({
          version: 1,
          shop,
          sku,
          changedAt: now,
          ...(traceparent ? { traceparent } : {}),
        }),
        { contentType: "json" },
      );
    } catch (error) {
      // Keep the push (and its trace) owed; the next alarm tries again.
      this.ctx.storage.transactionSync(() => {
        this.store.setPushDueAt(Date.now() + PUSH_RETRY_MS);
        if (traceparent) this.store.setPushTrace(traceparent);
      });
      createLogger(loadSettings(this.env).LOG_LEVEL, { shop, sku }).warn(
        "inventory push not queued; retrying",
        describeError(error),
      );
    }
  }

  /**
   * Runs one state change atomically, owes Shopify a push when ATS may have moved, and logs
   * the change (debug) under the caller's trace.
   */
  private mutate<T>(
    key: StockKey,
    traceparent: string | undefined,
    what: string,
    change: (now: number) => T,
  ): T {
    const result = this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      this.store.ensureMeta(key.shop, key.sku);
      const outcome = change(now);
      this.markChanged(now, traceparent);
      return outcome;
    });
    const traceId = parseTraceparent(traceparent)?.traceId;
    createLogger(loadSettings(this.env).LOG_LEVEL, {
      shop: key.shop,
      sku: key.sku,
      ...(traceId ? { traceId } : {}),
    }).debug(what);
    return result;
  }

  // The first change opens the debounce window, and its trace goes with the push; later
  // changes ride along with it.
  private markChanged(now: number, traceparent?: string): void {
    if (this.store.meta()?.push_due_at != null) return;
    this.store.setPushDueAt(now + loadSettings(this.env).INVENTORY_PUSH_DEBOUNCE_MS);
    if (traceparent) this.store.setPushTrace(traceparent);
  }

  /**
   * Points the alarm at the earliest pending job. The target is computed and compared
   * synchronously, so concurrent callers issue their `setAlarm` calls in state order.
   */
  private scheduleAlarm(): Promise<void> {
    const meta = this.store.meta();
    const expiry = this.store.nextExpiry();
    const candidates = [meta?.push_due_at ?? null, expiry].filter(
      (at): at is number => at !== null,
    );
    const target = candidates.length > 0 ? Math.min(...candidates) : null;
    if (target === (meta?.alarm_at ?? null)) return Promise.resolve();

    this.store.setAlarmAt(target);
    return target === null ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(target);
  }
}

/** A caller's bug, not a stock state: reported to the caller as a TypeError. */
function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TypeError(`SkuStock: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

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

  /** Applies OMS/WMS lines for this SKU in order; one outcome per line. */
  async applyUpdates(key: StockKey, updates: StockUpdate[]): Promise<UpdateOutcome[]> {
    const parsedKey = parse(StockKeySchema, key);
    const parsed = parse(z.array(StockUpdateSchema), updates);

    const outcomes = this.mutate(parsedKey, (now) => {
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
  ): Promise<ReservationView> {
    const parsedKey = parse(StockKeySchema, key);
    const parsed = parse(ReserveInputSchema, input);
    const view = this.mutate(parsedKey, (now) => reserve(this.store, parsed, now));
    await this.scheduleAlarm();
    return view;
  }

  /** Releases or commits an order line's reservation (idempotent). */
  async settle(key: StockKey, input: z.input<typeof SettleInputSchema>): Promise<ReservationView> {
    const parsedKey = parse(StockKeySchema, key);
    const parsed = parse(SettleInputSchema, input);
    const view = this.mutate(parsedKey, (now) => {
      const result = settle(this.store, parsed, now);
      if (parsed.action === "release") fillBackorders(this.store, now);
      return result;
    });
    await this.scheduleAlarm();
    return view;
  }

  /** Sets a reservation to the quantity the OMS confirmed (idempotent by confirmation id). */
  async adjust(key: StockKey, input: z.input<typeof AdjustInputSchema>): Promise<ReservationView> {
    const parsedKey = parse(StockKeySchema, key);
    const parsed = parse(AdjustInputSchema, input);
    const view = this.mutate(parsedKey, (now) => {
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
      if (due === null || due > now) return false;
      this.store.setPushDueAt(null);
      return true;
    });

    if (pushNow) await this.sendPush(meta.shop, meta.sku, now);
    await this.scheduleAlarm();
  }

  private async sendPush(shop: string, sku: string, now: number): Promise<void> {
    try {
      await this.env.INVENTORY_PUSH_QUEUE.send(
        InventoryPushMessageSchema.parse({ version: 1, shop, sku, changedAt: now }),
        { contentType: "json" },
      );
    } catch (error) {
      // Keep the push owed; the next alarm tries again.
      this.ctx.storage.transactionSync(() => this.store.setPushDueAt(Date.now() + PUSH_RETRY_MS));
      createLogger(loadSettings(this.env).LOG_LEVEL, { shop, sku }).warn(
        "inventory push not queued; retrying",
        describeError(error),
      );
    }
  }

  /** Runs one state change atomically and owes Shopify a push when ATS may have moved. */
  private mutate<T>(key: StockKey, change: (now: number) => T): T {
    return this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      this.store.ensureMeta(key.shop, key.sku);
      const result = change(now);
      this.markChanged(now);
      return result;
    });
  }

  // The first change opens the debounce window; later ones ride along with it.
  private markChanged(now: number): void {
    if (this.store.meta()?.push_due_at != null) return;
    this.store.setPushDueAt(now + loadSettings(this.env).INVENTORY_PUSH_DEBOUNCE_MS);
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

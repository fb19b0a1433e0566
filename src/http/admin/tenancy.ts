import { ProblemError } from "../problem";
import type { AdminPrincipal } from "./principal";

/**
 * How a route treats a principal restricted to some shops (ADMIN_TOKENS `shops`):
 * - `shop`: the route shows one shop's data; `?shop=` must name one of its shops.
 * - `shared`: the route shows hub-wide state that belongs to no shop (breaker states).
 * - `hub`: the route acts on or shows every shop; restricted principals are refused.
 * Unrestricted principals pass every route.
 */
export type Tenancy = "shop" | "shared" | "hub";

/** @throws {ProblemError} 403 `shop_required`, `shop_forbidden` or `hub_only`. */
export function enforceTenancy(
  principal: AdminPrincipal,
  tenancy: Tenancy,
  shop: string | undefined,
): void {
  const allowed = principal.shops;
  if (!allowed || tenancy === "shared") return;

  if (tenancy === "hub") {
    throw new ProblemError(
      403,
      "hub_only",
      "This route covers every shop",
      "A token limited to some shops cannot use it.",
      { shops: allowed },
    );
  }
  if (shop === undefined) {
    throw new ProblemError(
      403,
      "shop_required",
      "Name the shop",
      "This token is limited to some shops: pass ?shop= naming one of them.",
      { shops: allowed },
    );
  }
  assertShopAllowed(principal, shop);
}

/**
 * Refuses a record of a shop the principal may not see. Answers 404, as for a record that
 * does not exist, so a restricted token cannot probe for other shops' ids.
 * @throws {ProblemError} 404 `not_found`.
 */
export function assertRecordShop(principal: AdminPrincipal, recordShop: string): void {
  if (!principal.shops || principal.shops.includes(recordShop)) return;
  throw new ProblemError(404, "not_found", "No such record");
}

/** @throws {ProblemError} 403 `shop_forbidden` when the principal may not see `shop`. */
export function assertShopAllowed(principal: AdminPrincipal, shop: string | undefined): void {
  if (!principal.shops) return;
  if (shop !== undefined && principal.shops.includes(shop)) return;
  throw new ProblemError(
    403,
    "shop_forbidden",
    "Shop not allowed for this token",
    `This token may see only: ${principal.shops.join(", ")}.`,
    { shops: principal.shops },
  );
}

import type { Settings } from "../../config/settings";
import { ProblemError } from "../problem";

/** @throws {ProblemError} 404 `unknown_shop` when `shop` is not in SHOPS. */
export function requireServedShop(settings: Settings, shop: string): void {
  if (settings.SHOPS.includes(shop)) return;
  throw new ProblemError(
    404,
    "unknown_shop",
    "Shop is not served by this hub",
    `${shop} is not in SHOPS.`,
  );
}

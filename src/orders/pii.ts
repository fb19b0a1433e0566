import type { PiiPolicy, PiiTreatment } from "../config/settings";
import { sha256Hex } from "../crypto/digest";
import type { CanonicalAddress, CanonicalOrder } from "./canonical";

/**
 * Applies a connector's PII policy to a canonical order: each personal-data field is sent
 * in full, masked, hashed (SHA-256 of the trimmed, lower-cased value, `sha256:` prefix, so
 * a connector can still match a returning buyer) or not at all. Payment-instrument data
 * never reaches this point: the canonical order has no field for it.
 */
export async function applyPiiPolicy(
  order: CanonicalOrder,
  policy: PiiPolicy,
): Promise<CanonicalOrder> {
  const email = (value: string | null) => treat(value, policy.email, maskEmail);
  const phone = (value: string | null) => treat(value, policy.phone, maskPhone);
  const name = (value: string | null) => treat(value, policy.name, maskName);

  return {
    ...order,
    email: await email(order.email),
    phone: await phone(order.phone),
    customer: order.customer && {
      customerId: order.customer.customerId,
      email: await email(order.customer.email),
      phone: await phone(order.customer.phone),
      name: await name(order.customer.name),
    },
    billingAddress: await treatAddress(order.billingAddress, policy),
    shippingAddress: await treatAddress(order.shippingAddress, policy),
    note: await treat(order.note, policy.note, () => "[masked]"),
    browserIp: await treat(order.browserIp, policy.ip, maskIp),
  };
}

async function treatAddress(
  address: CanonicalAddress | null,
  policy: PiiPolicy,
): Promise<CanonicalAddress | null> {
  if (!address) return null;
  if (policy.address === "none") return null;

  const street = (value: string | null) => treat(value, policy.address, () => "***");
  return {
    name: await treat(address.name, policy.name, maskName),
    company: address.company,
    address1: await street(address.address1),
    address2: await street(address.address2),
    city: address.city,
    province: address.province,
    provinceCode: address.provinceCode,
    postalCode: await treat(address.postalCode, policy.address, maskPostalCode),
    country: address.country,
    countryCode: address.countryCode,
    phone: await treat(address.phone, policy.phone, maskPhone),
  };
}

async function treat(
  value: string | null,
  treatment: PiiTreatment,
  mask: (value: string) => string,
): Promise<string | null> {
  if (value === null || value === "") return value;
  switch (treatment) {
    case "full":
      return value;
    case "masked":
      return mask(value);
    case "hashed":
      return hashValue(value);
    case "none":
      return null;
  }
}

/** `sha256:<hex>` of the trimmed, lower-cased value. */
export async function hashValue(value: string): Promise<string> {
  return `sha256:${await sha256Hex(value.trim().toLowerCase())}`;
}

function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return `***${digits.slice(-4)}`;
}

function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${part[0]}.`)
    .join(" ");
}

function maskPostalCode(code: string): string {
  return `${code.slice(0, 3)}**`;
}

function maskIp(ip: string): string {
  if (ip.includes(":")) return `${ip.split(":").slice(0, 3).join(":")}::`;
  return ip.replace(/\.\d+$/, ".0");
}

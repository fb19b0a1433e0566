import { describe, expect, it } from "vitest";
import { loadSettings, type PiiPolicy } from "../../src/config/settings";
import { applyPiiPolicy, hashValue } from "../../src/orders/pii";
import { envWith } from "../support/env";
import { canonicalSample, rawSamples } from "./sample-orders";

const FULL: PiiPolicy = {
  email: "full",
  phone: "full",
  name: "full",
  address: "full",
  note: "full",
  ip: "full",
};

const SHA256 = /^sha256:[0-9a-f]{64}$/;

/** The B2B sample (#1001) as mapped, before any policy. */
const order = canonicalSample(rawSamples.b2b());

function withPolicy(overrides: Partial<PiiPolicy>) {
  return applyPiiPolicy(order, { ...FULL, ...overrides });
}

describe("hashValue", () => {
  it("is SHA-256 in lower-case hex behind a sha256: prefix", async () => {
    // FIPS 180-2 test vector for "abc".
    expect(await hashValue("abc")).toBe(
      "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("ignores case and surrounding spaces, so a returning buyer still matches", async () => {
    const hashed = await hashValue("dana.whitfield@example.com");
    expect(await hashValue("  Dana.Whitfield@EXAMPLE.com ")).toBe(hashed);
    expect(await hashValue("dana.whitfield@example.com")).toBe(hashed);
    expect(await hashValue("riley.chen@example.com")).not.toBe(hashed);
  });
});

describe("applyPiiPolicy", () => {
  it("sends everything unchanged under a full policy", async () => {
    expect(await applyPiiPolicy(order, FULL)).toEqual(order);
  });

  it("leaves the order it was given untouched", async () => {
    const before = structuredClone(order);
    await withPolicy({ email: "none", address: "none", name: "masked", ip: "hashed" });
    expect(order).toEqual(before);
  });

  it("never changes ids, lines, totals or the B2B part", async () => {
    const treated = await applyPiiPolicy(order, {
      email: "none",
      phone: "none",
      name: "none",
      address: "none",
      note: "none",
      ip: "none",
    });
    expect(treated).toMatchObject({
      orderId: order.orderId,
      name: "#1001",
      b2b: order.b2b,
      lines: order.lines,
      totals: order.totals,
      customer: { customerId: "8123450001001" },
    });
  });

  describe("email", () => {
    it.each([
      ["full", "dana.whitfield@example.com"],
      ["masked", "d***@example.com"],
      ["none", null],
    ] as const)("%s gives %j on the order and its customer", async (treatment, expected) => {
      const treated = await withPolicy({ email: treatment });
      expect(treated.email).toBe(expected);
      expect(treated.customer?.email).toBe(expected);
    });

    it("hashed gives the same sha256 digest on the order and its customer", async () => {
      const treated = await withPolicy({ email: "hashed" });
      expect(treated.email).toMatch(SHA256);
      expect(treated.email).toBe(await hashValue("Dana.Whitfield@example.com"));
      expect(treated.customer?.email).toBe(treated.email);
    });
  });

  describe("phone", () => {
    it.each([
      ["full", "+16145550142", "+16145550100"],
      ["masked", "***0142", "***0100"],
      ["none", null, null],
    ] as const)(
      "%s gives the customer %j and the billing address %j",
      async (treatment, customer, billing) => {
        const treated = await withPolicy({ phone: treatment });
        expect(treated.customer?.phone).toBe(customer);
        expect(treated.billingAddress?.phone).toBe(billing);
        expect(treated.phone).toBeNull();
      },
    );

    it("hashed gives the digest of each number", async () => {
      const treated = await withPolicy({ phone: "hashed" });
      expect(treated.customer?.phone).toBe(await hashValue("+16145550142"));
      expect(treated.shippingAddress?.phone).toBe(await hashValue("+16145550142"));
      expect(treated.billingAddress?.phone).toBe(await hashValue("+16145550100"));
    });

    it("keeps an absent order phone absent under every treatment", async () => {
      for (const phone of ["full", "masked", "hashed", "none"] as const) {
        expect((await withPolicy({ phone })).phone).toBeNull();
      }
    });
  });

  describe("name", () => {
    it.each([
      ["full", "Dana Whitfield", "Accounts Payable"],
      ["masked", "D. W.", "A. P."],
      ["none", null, null],
    ] as const)(
      "%s gives the customer %j and the billing address %j",
      async (treatment, customer, billing) => {
        const treated = await withPolicy({ name: treatment });
        expect(treated.customer?.name).toBe(customer);
        expect(treated.billingAddress?.name).toBe(billing);
        expect(treated.billingAddress?.company).toBe("Northwind Hardware Supply");
      },
    );

    it("hashed gives the digest of each name", async () => {
      const treated = await withPolicy({ name: "hashed" });
      expect(treated.customer?.name).toBe(await hashValue("dana whitfield"));
      expect(treated.billingAddress?.name).toBe(await hashValue("Accounts Payable"));
    });
  });

  describe("address", () => {
    it("full keeps the street and postal code", async () => {
      const treated = await withPolicy({ address: "full" });
      expect(treated.shippingAddress).toEqual(order.shippingAddress);
    });

    it("masked hides the street and shortens the postal code, keeping city and country", async () => {
      const treated = await withPolicy({ address: "masked" });
      expect(treated.shippingAddress).toEqual({
        ...order.shippingAddress,
        address1: "***",
        address2: "***",
        postalCode: "432**",
      });
      expect(treated.billingAddress).toMatchObject({
        address1: "***",
        address2: "***",
        postalCode: "432**",
        city: "Columbus",
        countryCode: "US",
      });
    });

    it("hashed gives the digest of the street lines and postal code", async () => {
      const treated = await withPolicy({ address: "hashed" });
      expect(treated.shippingAddress).toMatchObject({
        address1: await hashValue("1200 Example Industrial Pkwy"),
        address2: await hashValue("Dock 3"),
        postalCode: await hashValue("43215"),
        city: "Columbus",
      });
    });

    it("none sends no address at all", async () => {
      const treated = await withPolicy({ address: "none" });
      expect(treated.billingAddress).toBeNull();
      expect(treated.shippingAddress).toBeNull();
    });
  });

  describe("note", () => {
    it.each([
      ["full", "Deliver to dock 3 between 7:00 and 15:00; call 30 minutes before arrival."],
      ["masked", "[masked]"],
      ["none", null],
    ] as const)("%s gives %j", async (treatment, expected) => {
      expect((await withPolicy({ note: treatment })).note).toBe(expected);
    });

    it("hashed gives the note's digest", async () => {
      const treated = await withPolicy({ note: "hashed" });
      expect(treated.note).toMatch(SHA256);
      expect(treated.note).toBe(await hashValue(order.note ?? ""));
    });
  });

  describe("ip", () => {
    it.each([
      ["full", "198.51.100.23"],
      ["masked", "198.51.100.0"],
      ["none", null],
    ] as const)("%s gives %j", async (treatment, expected) => {
      expect((await withPolicy({ ip: treatment })).browserIp).toBe(expected);
    });

    it("hashed gives the address's digest", async () => {
      expect((await withPolicy({ ip: "hashed" })).browserIp).toBe(await hashValue("198.51.100.23"));
    });

    it("masked keeps only the first three groups of an IPv6 address", async () => {
      const ipv6 = { ...order, browserIp: "2001:db8:85a3:8d3:1319:8a2e:370:7348" };
      const treated = await applyPiiPolicy(ipv6, { ...FULL, ip: "masked" });
      expect(treated.browserIp).toBe("2001:db8:85a3::");
    });
  });

  describe("with the default policies from settings", () => {
    const settings = loadSettings(
      envWith({ PII_POLICY_ERP: undefined, PII_POLICY_OMS: undefined }),
    );

    it("sends the ERP names, contacts and addresses, but no note or IP", async () => {
      const treated = await applyPiiPolicy(order, settings.PII_POLICY_ERP);
      expect(treated).toMatchObject({
        email: "dana.whitfield@example.com",
        customer: { name: "Dana Whitfield", phone: "+16145550142" },
        billingAddress: order.billingAddress,
        shippingAddress: order.shippingAddress,
        note: null,
        browserIp: null,
      });
    });

    it("sends the OMS a masked email and the delivery note, but no IP", async () => {
      const treated = await applyPiiPolicy(order, settings.PII_POLICY_OMS);
      expect(treated).toMatchObject({
        email: "d***@example.com",
        customer: { email: "d***@example.com", name: "Dana Whitfield" },
        shippingAddress: order.shippingAddress,
        note: order.note,
        browserIp: null,
      });
    });

    it("fills the fields a configured policy leaves out from the default", () => {
      const configured = loadSettings(envWith({ PII_POLICY_ERP: '{"email":"hashed"}' }));
      expect(configured.PII_POLICY_ERP).toEqual({ ...settings.PII_POLICY_ERP, email: "hashed" });
    });
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fromMinorUnits,
  MoneyFormatError,
  minorDigits,
  normaliseAmount,
  sumAmounts,
  toMinorUnits,
} from "../../src/domain/money";

describe("minorDigits", () => {
  it.each([
    ["USD", 2],
    ["CAD", 2],
    ["EUR", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["KWD", 3],
    ["BHD", 3],
  ])("gives %s %i minor digits", (currency, digits) => {
    expect(minorDigits(currency)).toBe(digits);
  });

  it.each(["usd", "US", "USDX", "", "12$"])("rejects %j as a currency code", (currency) => {
    expect(() => minorDigits(currency)).toThrow(MoneyFormatError);
  });
});

describe("toMinorUnits", () => {
  it.each([
    ["1983.36", "USD", 198336],
    ["24.5", "USD", 2450],
    ["24", "USD", 2400],
    ["0.01", "USD", 1],
    ["0", "USD", 0],
    ["-12.34", "USD", -1234],
    ["-0.05", "USD", -5],
    ["1500", "JPY", 1500],
    ["-1500", "JPY", -1500],
    ["1.250", "KWD", 1250],
    ["1.25", "KWD", 1250],
    ["0.001", "KWD", 1],
    [" 7.10 ", "USD", 710],
  ])("reads %j %s as %i", (amount, currency, minor) => {
    expect(toMinorUnits(amount, currency)).toBe(minor);
  });

  it.each([
    ["24.500", "USD", 2450],
    ["24.5000000", "USD", 2450],
    ["1500.00", "JPY", 1500],
    ["1.2500", "KWD", 1250],
  ])("accepts extra zero decimals in %j %s", (amount, currency, minor) => {
    expect(toMinorUnits(amount, currency)).toBe(minor);
  });

  it.each([
    ["24.501", "USD"],
    ["0.005", "USD"],
    ["1500.5", "JPY"],
    ["1.2501", "KWD"],
  ])("rejects %j %s, whose extra decimals are not zero", (amount, currency) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(MoneyFormatError);
  });

  it.each(["", " ", "abc", "1,000.00", "1e3", "+5", ".5", "5.", "--5", "5-", "NaN", "Infinity"])(
    "rejects %j",
    (amount) => {
      expect(() => toMinorUnits(amount, "USD")).toThrow(MoneyFormatError);
    },
  );

  it("keeps the largest safe amount exact", () => {
    expect(toMinorUnits("90071992547409.91", "USD")).toBe(Number.MAX_SAFE_INTEGER);
    expect(toMinorUnits("-90071992547409.91", "USD")).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it("rejects an amount past the safe integer range instead of rounding it", () => {
    expect(() => toMinorUnits("90071992547409.92", "USD")).toThrow(MoneyFormatError);
    expect(() => toMinorUnits("99999999999999999999", "JPY")).toThrow(MoneyFormatError);
  });
});

describe("fromMinorUnits", () => {
  it.each([
    [198336, "USD", "1983.36"],
    [2450, "USD", "24.50"],
    [5, "USD", "0.05"],
    [0, "USD", "0.00"],
    [-5, "USD", "-0.05"],
    [-123456, "USD", "-1234.56"],
    [1500, "JPY", "1500"],
    [-1500, "JPY", "-1500"],
    [1250, "KWD", "1.250"],
    [1, "KWD", "0.001"],
    [Number.MAX_SAFE_INTEGER, "USD", "90071992547409.91"],
  ])("writes %i %s as %j", (minor, currency, amount) => {
    expect(fromMinorUnits(minor, currency)).toBe(amount);
  });

  it("writes negative zero as zero", () => {
    expect(fromMinorUnits(-0, "USD")).toBe("0.00");
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])("rejects %d", (minor) => {
    expect(() => fromMinorUnits(minor, "USD")).toThrow(MoneyFormatError);
  });

  it("round-trips every safe integer through its decimal string", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom("USD", "JPY", "KWD"),
        (minor, currency) => {
          expect(toMinorUnits(fromMinorUnits(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });
});

describe("normaliseAmount", () => {
  it.each([
    ["24.5", "USD", "24.50"],
    ["24.500", "USD", "24.50"],
    ["7", "USD", "7.00"],
    ["-0.5", "USD", "-0.50"],
    ["-0", "USD", "0.00"],
    ["0012.30", "USD", "12.30"],
    ["1500.00", "JPY", "1500"],
    ["1.25", "KWD", "1.250"],
  ])("writes %j %s as %j", (amount, currency, normalised) => {
    expect(normaliseAmount(amount, currency)).toBe(normalised);
  });

  it("rejects what toMinorUnits rejects", () => {
    expect(() => normaliseAmount("24.505", "USD")).toThrow(MoneyFormatError);
  });
});

describe("sumAmounts", () => {
  it("adds 0.1 and 0.2 to exactly 0.30, where floats give 0.30000000000000004", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumAmounts(["0.1", "0.2"], "USD")).toBe("0.30");
  });

  it("adds a thousand cents to exactly 10.00", () => {
    expect(
      sumAmounts(
        Array.from({ length: 1000 }, () => "0.01"),
        "USD",
      ),
    ).toBe("10.00");
  });

  it("sums the B2B sample's lines, shipping and tax to its total", () => {
    expect(sumAmounts(["882.00", "194.40", "391.50", "298.00", "85.00", "132.46"], "USD")).toBe(
      "1983.36",
    );
  });

  it("nets negative amounts", () => {
    expect(sumAmounts(["100.00", "-98.00", "-2.01"], "USD")).toBe("-0.01");
  });

  it("sums nothing to zero in the currency's format", () => {
    expect(sumAmounts([], "USD")).toBe("0.00");
    expect(sumAmounts([], "JPY")).toBe("0");
    expect(sumAmounts([], "KWD")).toBe("0.000");
  });

  it("keeps large sums exact", () => {
    expect(sumAmounts(["45035996273704.95", "45035996273704.96"], "USD")).toBe("90071992547409.91");
  });

  it("rejects a sum past the safe integer range", () => {
    expect(() => sumAmounts(["90071992547409.91", "0.01"], "USD")).toThrow(MoneyFormatError);
  });

  it("rejects the whole sum when one amount is malformed", () => {
    expect(() => sumAmounts(["1.00", "oops"], "USD")).toThrow(MoneyFormatError);
  });

  it("sums generated cents exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1_000_000_00, max: 1_000_000_00 })), (cents) => {
        const amounts = cents.map((minor) => fromMinorUnits(minor, "USD"));
        const expected = cents.reduce((sum, minor) => sum + minor, 0);
        expect(toMinorUnits(sumAmounts(amounts, "USD"), "USD")).toBe(expected);
      }),
    );
  });
});

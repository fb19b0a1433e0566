import { describe, expect, it } from "vitest";
import { classifyConnectorResponse } from "../../src/connectors/classify";
import { PermanentError, RetryableError } from "../../src/queues/errors";
import { caught } from "../support/thrown";

function classify(status: number, body: unknown = "", headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return classifyConnectorResponse("erp", status, new Headers(headers), text);
}

describe("classifyConnectorResponse", () => {
  describe("on success", () => {
    it.each([200, 201])("takes %i with an externalRef as done", (status) => {
      expect(classify(status, { externalRef: "ERP-SO-1001" })).toEqual({
        kind: "done",
        externalRef: "ERP-SO-1001",
        status,
      });
    });

    it.each([
      ["no body", ""],
      ["an empty object", {}],
      ["an empty externalRef", { externalRef: "" }],
      ["a numeric externalRef", { externalRef: 1001 }],
      ["an externalRef over 200 characters", { externalRef: "x".repeat(201) }],
      ["a body that is not JSON", "OK"],
    ])("takes 200 with %s as a protocol violation", (_, body) => {
      const error = caught(() => classify(200, body));

      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: "connector_protocol_violation" });
      expect((error as Error).message).toBe("erp answered 200 without an externalRef");
    });

    it("takes 202 as pending, whatever the body", () => {
      expect(classify(202)).toEqual({ kind: "pending", status: 202 });
      expect(classify(202, { externalRef: "ERP-SO-1001" })).toEqual({
        kind: "pending",
        status: 202,
      });
    });
  });

  describe("on 409 (the connector already has the event)", () => {
    it("takes it as done with the reference it names", () => {
      expect(classify(409, { externalRef: "ERP-SO-1001" })).toEqual({
        kind: "done",
        externalRef: "ERP-SO-1001",
        status: 409,
      });
    });

    it.each([
      ["no body", ""],
      ["a problem body", { type: "about:blank", title: "Conflict", detail: "already filed" }],
    ])("takes it as done without a reference when it has %s", (_, body) => {
      expect(classify(409, body)).toEqual({ kind: "done", externalRef: null, status: 409 });
    });
  });

  describe("on a rejection", () => {
    it.each([
      [400, { detail: "sku HB-M8-40-ZN-100 is unknown" }, "sku HB-M8-40-ZN-100 is unknown"],
      [404, { reason: "customer_not_found" }, "customer_not_found"],
      [422, { message: "po_number is required" }, "po_number is required"],
      [422, { title: "Unprocessable" }, "Unprocessable"],
      [
        422,
        { detail: "credit limit exceeded", reason: "credit_limit", message: "m", title: "t" },
        "credit limit exceeded",
      ],
      [400, { reason: "bad_payload", message: "lines[0].quantity" }, "bad_payload"],
      [400, "plain text complaint\n", "plain text complaint"],
      [400, { detail: 42 }, '{"detail":42}'],
      [404, "", "no reason given"],
    ])("takes %i with %j as connector_rejected: %s", (status, body, reason) => {
      const error = caught(() => classify(status, body));

      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: "connector_rejected" });
      expect((error as Error).message).toBe(`erp rejected the event (${status}): ${reason}`);
    });

    it("keeps at most 500 characters of the reason", () => {
      const error = caught(() => classify(422, { detail: "y".repeat(2000) }));
      expect((error as Error).message).toBe(`erp rejected the event (422): ${"y".repeat(500)}`);
    });

    it.each([301, 401, 403])("takes %i as a rejection too", (status) => {
      expect(caught(() => classify(status))).toMatchObject({ code: "connector_rejected" });
    });
  });

  describe("on a failure that may heal", () => {
    it.each([408, 429, 500, 502, 503, 504])("retries %i as connector_%i", (status) => {
      const error = caught(() => classify(status, { detail: "busy" }));

      expect(error).toBeInstanceOf(RetryableError);
      expect(error).toMatchObject({ code: `connector_${status}` });
      expect((error as Error).message).toBe(`erp answered ${status}: busy`);
    });

    it.each([
      [429, "30", 30],
      [503, "0", 0],
      [408, " 120 ", 120],
    ])("retries %i after Retry-After %j seconds", (status, header, seconds) => {
      const error = caught(() => classify(status, "", { "retry-after": header }));
      expect(error).toMatchObject({ options: { retryAfterSeconds: seconds } });
    });

    it("retries after a Retry-After HTTP date", () => {
      const at = new Date(Date.now() + 120_000).toUTCString();
      const error = caught(() => classify(503, "", { "retry-after": at }));

      expect(error).toBeInstanceOf(RetryableError);
      const seconds = (error as RetryableError).options.retryAfterSeconds;
      // toUTCString drops the milliseconds, so the wait is 119 s and a fraction, rounded up.
      expect(seconds).toBeGreaterThanOrEqual(119);
      expect(seconds).toBeLessThanOrEqual(120);
    });

    it("retries at once after a Retry-After date in the past", () => {
      const error = caught(() =>
        classify(429, "", { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }),
      );
      expect(error).toMatchObject({ options: { retryAfterSeconds: 0 } });
    });

    it.each([
      ["no Retry-After", {}],
      ["an unreadable Retry-After", { "retry-after": "soon" }],
    ])("leaves the delay to the retry policy with %s", (_, headers) => {
      const error = caught(() => classify(500, "", headers));

      expect(error).toBeInstanceOf(RetryableError);
      expect((error as RetryableError).options.retryAfterSeconds).toBeUndefined();
    });
  });
});

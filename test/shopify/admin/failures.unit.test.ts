import { describe, expect, it } from "vitest";
import { PermanentError, RetryableError } from "../../../src/queues/errors";
import {
  graphqlFailure,
  throttleDelaySeconds,
  userErrorsFailure,
} from "../../../src/shopify/admin/failures";

const throttleStatus = { maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 };

describe("graphqlFailure", () => {
  it.each([
    ["THROTTLED", RetryableError, "shopify_throttled"],
    ["INTERNAL_SERVER_ERROR", RetryableError, "shopify_internal_error"],
    ["ACCESS_DENIED", PermanentError, "shopify_access_denied"],
    ["MAX_COST_EXCEEDED", PermanentError, "shopify_max_cost_exceeded"],
    ["undefinedField", PermanentError, "shopify_graphql_error"],
  ])("classifies %s", (code, errorClass, expected) => {
    const error = graphqlFailure("Op", [{ message: "boom", extensions: { code } }], undefined, 10);

    expect(error).toBeInstanceOf(errorClass);
    expect(error.code).toBe(expected);
    expect(error.message).toBe(`Op: boom (${code})`);
  });

  it("times a THROTTLED retry from the requested cost and the reported bucket", () => {
    const error = graphqlFailure(
      "Op",
      [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
      { requestedQueryCost: 752, actualQueryCost: null, throttleStatus },
      100,
    );

    expect(error).toBeInstanceOf(RetryableError);
    expect(error instanceof RetryableError && error.options.retryAfterSeconds).toBe(8);
  });
});

describe("throttleDelaySeconds", () => {
  it.each([
    ["the reported requested cost", { requestedQueryCost: 250, throttleStatus }, 10, 2],
    ["the estimate when Shopify gave no cost", { throttleStatus }, 350, 3],
    ["the Standard restore rate without a throttleStatus", undefined, 450, 5],
    ["at least a second when the points are already back", { throttleStatus }, 10, 1],
  ])("uses %s", (_title, cost, estimate, expected) => {
    expect(throttleDelaySeconds(cost, estimate)).toBe(expected);
  });
});

describe("userErrorsFailure", () => {
  it("is undefined when every mutation succeeded", () => {
    expect(userErrorsFailure("Op", { metafieldsSet: [], tagsAdd: [] })).toBeUndefined();
  });

  it("names each mutation, field path and message, and keeps the list as cause", () => {
    const userErrors = {
      metafieldsSet: [
        { field: ["metafields", "0", "value"], message: "Value is too long", code: "TOO_LONG" },
      ],
      tagsAdd: [{ field: null, message: "Order is archived" }],
    };

    const error = userErrorsFailure("OrderWriteBack", userErrors);

    expect(error).toBeInstanceOf(PermanentError);
    expect(error?.code).toBe("shopify_user_errors");
    expect(error?.message).toBe(
      "OrderWriteBack rejected by Shopify: metafieldsSet metafields.0.value: Value is too long; tagsAdd (input): Order is archived",
    );
    expect(error?.cause).toEqual(userErrors);
  });
});

import { z } from "zod";

export const AlertSeveritySchema = z.enum(["page", "ticket"]);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const ChannelBase = z.object({
  /** Names the channel in logs and in the alert's delivery records. */
  name: z.string().regex(/^[a-z0-9-]{1,40}$/, "lowercase letters, digits and dashes"),
  url: httpUrl,
  /** Which severities go to this channel; both by default. */
  severities: z.array(AlertSeveritySchema).min(1).default(["page", "ticket"]),
});

/**
 * Where alerts are sent. `webhook` posts the hub's own JSON, `slack` a Slack-compatible
 * `{text}` incoming-webhook message, `pagerduty` an Events API v2 event
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
 */
export const AlertChannelSchema = z.discriminatedUnion("type", [
  ChannelBase.extend({ type: z.literal("webhook") }),
  ChannelBase.extend({ type: z.literal("slack") }),
  ChannelBase.extend({
    type: z.literal("pagerduty"),
    /** The integration key of the PagerDuty service (Events API v2). */
    routingKey: z.string().min(1),
  }),
]);
export type AlertChannel = z.infer<typeof AlertChannelSchema>;

export const AlertChannelsSchema = z
  .array(AlertChannelSchema)
  .refine((channels) => new Set(channels.map((c) => c.name)).size === channels.length, {
    message: "channel names must be unique",
  });

/** Thresholds of the alert rules (docs/observability.md); ALERT_RULES overrides any of them. */
export const AlertRulesSchema = z.object({
  /** An open alert is sent again after this long while nobody acknowledges it. */
  renotifyMinutes: z.number().int().positive().default(60),
  /** Open dead letters in the orders domain at or above which order exports page. */
  orderDeadLetters: z.number().int().positive().default(1),
  /** Export failure rate per connector that pages, over a window, once enough calls ran. */
  exportErrorRate: z
    .object({
      windowMinutes: z.number().int().positive().default(15),
      minCalls: z.number().int().positive().default(10),
      maxFailurePercent: z.number().positive().max(100).default(20),
    })
    .prefault({}),
  /** Growth of open dead letters per domain over a window that pages. */
  deadLetterGrowth: z
    .object({
      windowMinutes: z.number().int().positive().default(30),
      minIncrease: z.number().int().positive().default(5),
    })
    .prefault({}),
  /** Minutes a breaker may stay away from closed before it pages. */
  breakerOpenMinutes: z.number().int().positive().default(5),
});
export type AlertRules = z.infer<typeof AlertRulesSchema>;

// The campaign guard: a running campaign whose hard-bounce or complaint rate passes its limit
// pauses itself, to protect the sender's reputation. Rates are measured only once enough
// messages went out for them to mean something. Pure.

export interface CampaignFeedbackStats {
  /** Messages that left for the provider (sent, delivered, bounced, complained, refused). */
  sent: number;
  hardBounces: number;
  /** Feedback-loop (ARF) complaints, not reclamations. */
  complaints: number;
}

export interface GuardLimits {
  hardBouncePercent: number;
  complaintPercent: number;
  minSent: number;
}

/** The pause reason when a limit is passed, else null. */
export function guardVerdict(stats: CampaignFeedbackStats, limits: GuardLimits): string | null {
  if (stats.sent < limits.minSent || stats.sent <= 0) return null;
  const hardRate = (stats.hardBounces / stats.sent) * 100;
  if (hardRate > limits.hardBouncePercent) {
    return `paused by the campaign guard: hard-bounce rate ${formatPercent(hardRate)} (${stats.hardBounces} of ${stats.sent} sent) passed ${formatPercent(limits.hardBouncePercent)}`;
  }
  const complaintRate = (stats.complaints / stats.sent) * 100;
  if (complaintRate > limits.complaintPercent) {
    return `paused by the campaign guard: complaint rate ${formatPercent(complaintRate)} (${stats.complaints} of ${stats.sent} sent) passed ${formatPercent(limits.complaintPercent)}`;
  }
  return null;
}

function formatPercent(value: number): string {
  return `${Number(value.toFixed(value < 1 ? 3 : 2))}%`;
}
